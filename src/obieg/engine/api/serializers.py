"""What the engine API reads and writes: cases with history and diagram, work items, messages.

Choice fields are described inline (a plain enum) rather than as named enum
components: "status" and "kind" already name other models' choice sets in
the schema.

Names from a process model (a task's, a process's, a history line's) come
twice: `name` as the model gives it (stable, what filters and scripts match)
and `name_display` in the request's language (`Accept-Language`, or the
language cookie the web app sets), from the translations kept in the model
(engine/labels.py).

Fields named like a Field or Serializer attribute ("label", "required",
"data") carry `type: ignore[assignment]`: the serializer metaclass moves
declared fields into `_declared_fields`, so the attribute itself is untouched.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from obieg.api.serializers.fast import FastRepresentation
from obieg.core.models import Department, User
from obieg.engine import labels, registry
from obieg.engine.models import Case, CaseEvent, CaseStatus, WorkItem, WorkItemStatus
from obieg.engine.web.task_forms import CommentForm


def _choices(choices) -> type[serializers.CharField]:
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "enum": values})
    class ChoiceText(serializers.CharField):
        pass

    return ChoiceText


def _same_choices(component: str) -> type[serializers.CharField]:
    """A choice field of a serializer that extends another: the parent's enum, by reference.

    The schema's enum step names a choice set after its field when one
    component holds it ("CaseStatusEnum"); a second copy in the subclass's
    component would make the name collide, so the subclass points at it.
    """

    @extend_schema_field({"allOf": [{"$ref": f"#/components/schemas/{component}"}]})
    class SameChoices(serializers.CharField):
        pass

    return SameChoices


CaseStatusField = _choices(CaseStatus.choices)
WorkItemStatusField = _choices(WorkItemStatus.choices)
EventKindField = _choices(CaseEvent.Kind.choices)


class SubjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='The model, "app_label.model" (e.g. "crm.opportunity").')
    id = serializers.IntegerField()
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a declared field


class CaseSerializer(FastRepresentation, serializers.ModelSerializer):
    process = serializers.CharField(source="definition.key", read_only=True)
    process_name = serializers.CharField(source="definition.name", read_only=True)
    process_name_display = serializers.SerializerMethodField(
        help_text="The process's name in the request's language (Accept-Language)."
    )
    process_version = serializers.IntegerField(source="definition.version", read_only=True)
    status = CaseStatusField(read_only=True)
    subject = serializers.SerializerMethodField()
    owner: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    started_by: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "process",
            "process_name",
            "process_name_display",
            "process_version",
            "status",
            "subject",
            "owner",
            "started_by",
            "started_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_process_name_display(self, case: Case) -> str:
        return labels.process_label(case.definition)

    @extend_schema_field(SubjectSerializer(allow_null=True))
    def get_subject(self, case: Case) -> dict | None:
        subject_type = case.subject_type
        if subject_type is None:
            return None
        record = case.subject
        return {
            "type": f"{subject_type.app_label}.{subject_type.model}",
            "id": case.subject_id,
            "label": str(record) if record is not None else "",
        }


class WorkItemSerializer(FastRepresentation, serializers.ModelSerializer):
    case_title = serializers.CharField(source="case.__str__", read_only=True)
    process = serializers.CharField(source="case.definition.key", read_only=True)
    status = WorkItemStatusField(read_only=True)
    assignee: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    assignee_name = serializers.SerializerMethodField()
    completed_by: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    candidate_department: serializers.PrimaryKeyRelatedField[Department] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    name_display = serializers.SerializerMethodField(
        help_text="The task's name in the request's language (Accept-Language); "
        "`name` is the model's own."
    )

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "case",
            "case_title",
            "process",
            "element_id",
            "name",
            "name_display",
            "form_key",
            "lane",
            "status",
            "assignee",
            "assignee_name",
            "candidate_group",
            "candidate_department",
            "due_at",
            "overdue",
            "created_at",
            "claimed_at",
            "completed_at",
            "completed_by",
            "unmatched",
            "follow_up_at",
            "revision",
        ]
        read_only_fields = fields

    def get_assignee_name(self, item: WorkItem) -> str:
        return str(item.assignee) if item.assignee_id else ""

    def get_name_display(self, item: WorkItem) -> str:
        return labels.item_label(item)


class FormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field
    type = serializers.CharField(help_text='The Django form field class, e.g. "DecimalField".')
    required = serializers.BooleanField()  # type: ignore[assignment]  # a declared field
    choices = serializers.ListField(child=serializers.ListField(), required=False)


class WorkItemDetailSerializer(WorkItemSerializer):
    status = _same_choices("WorkItemStatusEnum")(read_only=True)
    form_fields = serializers.SerializerMethodField()

    class Meta(WorkItemSerializer.Meta):
        fields = [*WorkItemSerializer.Meta.fields, "form_fields"]
        read_only_fields = fields

    @extend_schema_field(FormFieldSerializer(many=True))
    def get_form_fields(self, item: WorkItem) -> list[dict]:
        """The fields `complete` expects in `data` (a comment when the task has no form)."""
        form_class = registry.form_for(item.form_key, case=item.case) if item.form_key else None
        described = []
        for name, field in (form_class or CommentForm)().fields.items():
            entry = {
                "name": name,
                "label": str(field.label or name),
                "type": type(field).__name__,
                "required": field.required,
            }
            choices = getattr(field, "choices", None)
            if choices is not None and not hasattr(field, "queryset"):
                entry["choices"] = [[str(value), str(label)] for value, label in choices]
            described.append(entry)
        return described


class CaseEventSerializer(serializers.ModelSerializer):
    kind = EventKindField(read_only=True)
    actor: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    actor_name = serializers.SerializerMethodField()
    name_display = serializers.SerializerMethodField(
        help_text="The step's name in the request's language (Accept-Language)."
    )

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "actor_name", "kind", "element_id", "name", "name_display", "data"]
        read_only_fields = fields

    def get_actor_name(self, event: CaseEvent) -> str:
        return str(event.actor) if event.actor_id else ""

    def get_name_display(self, event: CaseEvent) -> str:
        # Read through the case's `events` manager: `event.case` is the case already loaded.
        return labels.element_label(event.case.definition, event.element_id, event.name)


class DiagramSerializer(serializers.Serializer):
    xml = serializers.CharField(help_text="The BPMN 2.0 XML of the case's process version.")
    element_states = serializers.DictField(
        child=serializers.CharField(),
        help_text='Element id → "completed", "active", "waiting", "cancelled" or "failed".',
    )
    failed_element = serializers.CharField(allow_blank=True)


class CaseDetailSerializer(CaseSerializer):
    status = _same_choices("CaseStatusEnum")(read_only=True)
    data = serializers.JSONField(read_only=True)  # type: ignore[assignment]  # a declared field
    work_items = WorkItemSerializer(many=True, read_only=True, source="item_rows")
    history = CaseEventSerializer(many=True, read_only=True, source="event_rows")
    diagram = DiagramSerializer(read_only=True, source="diagram_view")

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "data",
            "error_message",
            "error_element",
            "cancel_reason",
            "work_items",
            "history",
            "diagram",
        ]
        read_only_fields = fields


class CaseStartSerializer(serializers.Serializer):
    process = serializers.CharField(max_length=200, help_text="The process key (its BPMN id).")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    data = serializers.DictField(  # type: ignore[assignment]  # a declared field
        required=False, help_text="The case's starting data."
    )
    subject_type = serializers.CharField(
        max_length=100, required=False, help_text='The business record\'s model: "crm.opportunity".'
    )
    subject_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    keys = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=20,
        help_text='Correlation keys messages can be addressed to ("offer:17").',
    )


class CompleteSerializer(serializers.Serializer):
    data = serializers.DictField(  # type: ignore[assignment]  # a declared field
        required=False, help_text="The task form's fields; field errors come back with 400."
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The work item's revision you read; 409 if it was claimed or handed over since.",
    )


class CompletionSerializer(serializers.Serializer):
    work_item = WorkItemSerializer()
    case = CaseSerializer()


class ReassignSerializer(serializers.Serializer):
    to = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A user id.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RetrySerializer(serializers.Serializer):
    data = serializers.DictField(  # type: ignore[assignment]  # a declared field
        required=False,
        help_text=(
            "Corrected data for the failed step (the person's form fields, a message's "
            "payload, the start data), checked like the original; without it the step is "
            "replayed as it was."
        ),
    )


class ReturnPointSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The engine task to move back to.")
    element_id = serializers.CharField()
    name = serializers.CharField()


class RepairSerializer(serializers.Serializer):
    """What an administrator needs to repair a stopped case."""

    pending_kind = serializers.CharField(
        allow_null=True, help_text="start, complete, message or timer; null when not stopped."
    )
    pending_data = serializers.DictField(
        allow_null=True, help_text="What the failed step was given (null for a timer)."
    )
    return_points = ReturnPointSerializer(many=True)


class MoveBackSerializer(serializers.Serializer):
    task = serializers.CharField(max_length=64, help_text="A return point's id.")
    reason = serializers.CharField(max_length=2000)


class MessageSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200, help_text='The BPMN message name: "offer_accepted".'
    )
    key = serializers.CharField(max_length=200, help_text='The correlation key: "offer:17".')
    payload = serializers.DictField(required=False, help_text="Merged into the case data.")


class MessageResultSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.IntegerField())


class SignalSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=190, help_text='The BPMN signal name: "price_list_changed".'
    )
    payload = serializers.DictField(
        required=False, help_text="Merged into the data of each case that catches it."
    )


class SignalResultSerializer(serializers.Serializer):
    cases = serializers.ListField(
        child=serializers.IntegerField(), help_text="The cases that caught the signal."
    )
    started = serializers.ListField(
        child=serializers.IntegerField(), help_text="The cases it started."
    )


@extend_schema_serializer(many=False)  # the page is one object, though `list` returns it
class WorkItemPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = WorkItemSerializer(many=True)
