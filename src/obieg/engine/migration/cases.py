"""Moving running cases from one version of a process to another: the mapping, dry run and run.

The administrator picks a source and a target version of one process and a
mapping {element id in the source: element id in the target} for the
elements the target lacks (an id maps to itself unless mapped). The dry
run loads every case of the source (a page at a time, by id) and says for
each where its waiting tokens would land, or why it cannot move; nothing
is written. The run moves the cases the dry run listed, each in its own
transaction under the case lock, only at the revision the dry run saw: a
case changed since (a task completed, a timer fired) is not moved and is
reported, the others move. Each moved case records a `migrated` event.

A case's title often names the customer, and a process administrator sees no
customer records: the dry run and the run name each case by its number, its
version and the steps it waits in, and give its title only to those who may
see the case (`core.access`, as its own page would).

Names are given twice, as everywhere (engine/labels.py): `name` as the model
writes it and `name_display` in the reader's language, each element's by its
own version: a waiting step or a source element by the source's translations,
a landing or a choice in the target by the target's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.core import access
from obieg.core.errors import ApplicationError
from obieg.engine import labels, spec_cache
from obieg.engine.migration import carry as carrying
from obieg.engine.migration.carry import CannotCarry, Landing, Refusal
from obieg.engine.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    ProcessDefinition,
    WorkItem,
    WorkItemStatus,
)
from obieg.engine.runtime import rows
from obieg.engine.runtime.step import CaseNames, Step, StepError
from obieg.engine.spiff.instance import Instance
from obieg.engine.studio.permissions import ensure_may_manage_processes

PAGE = 100  # cases a dry run reads, and a run moves, per request
LISTED_STATUSES = (*ACTIVE_CASE_STATUSES, CaseStatus.ERROR)
# What a token can wait in, so what the mapping offers (SpiffWorkflow's spec class names).
WAITING_KINDS = (
    "UserTask", "ManualTask", "NoneTask", "ReceiveTask", "IntermediateCatchEvent",
    "BoundaryEvent", "ParallelGateway", "InclusiveGateway", "SubWorkflowTask", "CallActivity",
    "TransactionSubprocess", "ExternalServiceTask", "EventBasedGateway",
)  # fmt: skip


@dataclass(frozen=True)
class MappingRow:
    """A waitable element of the source that the target lacks, with the target's candidates."""

    element_id: str
    name: str
    kind: str
    suggestion: str
    choices: list[tuple[str, str]]  # (id, label) of the target's elements of the same kind
    name_display: str = ""  # `name` in the reader's language, by the source's translations


@dataclass(frozen=True)
class WaitingStep:
    """An element a token of the case waits in (its current step)."""

    element_id: str
    name: str
    name_display: str = ""  # in the reader's language, by the case's (source) version


@dataclass(frozen=True)
class ShownLanding(Landing):
    """A landing with both names in the reader's language: from by the source, to by the target.

    Only what is shown: the history records the plain `Landing` (one language for all readers).
    """

    from_name_display: str = ""
    to_name_display: str = ""


@dataclass
class CaseOutcome:
    case_id: int
    title: str | None  # None: the actor may not see the case (only its number and steps)
    revision: int
    movable: bool
    version: int = 0
    waiting: list[WaitingStep] = field(default_factory=list)
    landings: list[ShownLanding] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    moved: bool = False
    # The title in the reader's language (a title that is only the process's name is
    # translated); None exactly when `title` is.
    title_display: str | None = None

    @property
    def title_visible(self) -> bool:
        return self.title is not None


@dataclass
class DryRun:
    outcomes: list[CaseOutcome]
    next_after: int | None  # the last case id of this page when more follow

    @property
    def movable(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.movable]

    @property
    def refused(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.movable]


def ensure_pair(source: ProcessDefinition, target: ProcessDefinition) -> None:
    if source.key != target.key:
        raise ApplicationError(
            _("Cases move only between versions of one process."),
            field_errors={"target": [_("Choose a version of %(key)s.") % {"key": source.key}]},
        )
    if source.pk == target.pk:
        raise ApplicationError(
            _("Choose another version to move the cases to."),
            field_errors={"target": [_("Choose another version.")]},
        )


def _specs(definition) -> dict[str, object]:
    """Every task spec of a version (its process and its sub-processes), by element id."""
    spec, subprocess_specs = spec_cache.bundle_for(definition)
    found: dict[str, Any] = {}
    for process in [spec, *subprocess_specs.values()]:
        for task_spec in process.task_specs.values():
            if getattr(task_spec, "bpmn_id", None):
                found.setdefault(task_spec.bpmn_id, task_spec)
    return found


def _label(spec) -> str:
    return spec.bpmn_name or spec.bpmn_id


def _shown(definition, spec) -> str:
    """An element's name in the reader's language, by the translations of its own version."""
    return labels.element_label(definition, spec.bpmn_id, spec.bpmn_name or "") or spec.bpmn_id


def shown_landings(landings: list[Landing], source, target) -> list[ShownLanding]:
    return [
        ShownLanding(
            **landing.__dict__,
            from_name_display=labels.element_label(source, landing.from_id, landing.from_name)
            or landing.from_id,
            to_name_display=labels.element_label(target, landing.to_id, landing.to_name)
            or landing.to_id,
        )
        for landing in landings
    ]


def mapping_rows(source: ProcessDefinition, target: ProcessDefinition) -> list[MappingRow]:
    """The source's waitable elements the target lacks, each with a suggestion and its choices.

    Same id maps to itself and needs no row. The suggestion is SpiffWorkflow's
    own guess at a renamed element (the element of the target standing where
    it stood in the graph), offered only when it is of the same kind.
    """
    old, new = _specs(source), _specs(target)
    guesses = _structural_guesses(source, target)
    result = []
    for element_id, spec in sorted(old.items()):
        kind = type(spec).__name__
        if element_id in new or kind not in WAITING_KINDS:
            continue
        wanted = carrying.kind_of(spec)
        choices = sorted(
            (other_id, f"{_shown(target, other)} ({other_id})")
            for other_id, other in new.items()
            if carrying.kind_of(other) == wanted and other_id not in old
        )
        guess = guesses.get(element_id, "")
        suggestion = guess if guess in dict(choices) else ""
        result.append(
            MappingRow(element_id, _label(spec), kind, suggestion, choices, _shown(source, spec))
        )
    return result


def _structural_guesses(source, target) -> dict[str, str]:
    from SpiffWorkflow.bpmn.util.diff import SpecDiff

    from obieg.engine.spiff.serializer import STATE_SERIALIZER

    old_spec, _old_subs = spec_cache.bundle_for(source)
    new_spec, _new_subs = spec_cache.bundle_for(target)
    try:
        aligned = SpecDiff(STATE_SERIALIZER.registry, old_spec, new_spec).alignment
    except Exception:  # noqa: BLE001 - a guess only; the administrator maps by hand
        return {}
    return {
        old.bpmn_id: new.bpmn_id
        for old, new in aligned.items()
        if new is not None and getattr(old, "bpmn_id", None) and getattr(new, "bpmn_id", None)
    }


def clean_mapping(
    source: ProcessDefinition, target: ProcessDefinition, given: dict[str, str]
) -> dict[str, str]:
    """The mapping with blanks dropped; an id unknown on either side is a field error."""
    old, new = _specs(source), _specs(target)
    errors = []
    mapping = {}
    for from_id, to_id in given.items():
        from_id, to_id = str(from_id).strip(), str(to_id or "").strip()
        if not to_id:
            continue
        if from_id not in old:
            errors.append(
                _("%(element)s is not an element of version %(version)s.")
                % {"element": from_id, "version": source.version}
            )
        elif to_id not in new:
            errors.append(
                _("%(element)s is not an element of version %(version)s.")
                % {"element": to_id, "version": target.version}
            )
        else:
            mapping[from_id] = to_id
    if errors:
        raise ApplicationError(
            _("The mapping names unknown elements."), field_errors={"mapping": errors}
        )
    return mapping


def reason_text(refusal: Refusal, source, target, mapping: dict[str, str]) -> str:
    """A refusal as the administrator reads it."""
    element = refusal.element_id
    old, new = _specs(source), _specs(target)
    old_label = f"{_shown(source, old[element])} ({element})" if element in old else element
    mapped = mapping.get(element, element)
    new_label = f"{_shown(target, new[mapped])} ({mapped})" if mapped in new else mapped
    texts = {
        "unmapped": _(
            "Waits in %(element)s, which version %(version)s does not have: map it to one of "
            "that version's elements."
        ),
        "mapped_missing": _(
            "Waits in %(element)s, mapped to %(target)s, which version %(version)s does not have."
        ),
        "other_kind": _(
            "Waits in %(element)s, mapped to %(target)s: an element of another kind "
            "(%(old_kind)s, not %(new_kind)s)."
        ),
        "multi-instance": _(
            "Waits in the multi-instance activity %(element)s: its instances cannot be carried "
            "to another version."
        ),
        "other_subprocess": _(
            "Waits in %(element)s, which calls another process in version %(version)s."
        ),
        "boundary_changed": _(
            "Waits in %(element)s, whose boundary events (timers, messages, errors) differ in "
            "version %(version)s: they cannot be armed on a task already under way."
        ),
        "subprocess_missing": _(
            "Waits inside the sub-process %(element)s, which version %(version)s does not have."
        ),
        "not_carried": _("%(element)s cannot be carried to version %(version)s."),
    }
    return texts.get(refusal.reason, texts["not_carried"]) % {
        "element": old_label,
        "target": new_label,
        "version": target.version,
        "old_kind": type(old[element]).__name__ if element in old else "",
        "new_kind": type(new[mapped]).__name__ if mapped in new else "",
    }


def _no_actions(task, name):
    raise StepError(f"a dry run runs no action ({name})")


def titles_for(actor, case_ids) -> set[int]:
    """The ids among `case_ids` whose title `actor` may read: the cases they may see."""
    return set(
        access.visible(Case.objects.filter(pk__in=list(case_ids)), actor).values_list(
            "pk", flat=True
        )
    )


def _title(case: Case, shown: set[int]) -> str | None:
    return (case.title or str(case.pk)) if case.pk in shown else None


def _title_display(case: Case, shown: set[int]) -> str | None:
    """The title as people read it (engine/labels.py); reads `case.definition`, load it with it."""
    if case.pk not in shown:
        return None
    return labels.case_label(case) if case.title else str(case.pk)


def waiting_steps(workflow, definition=None) -> list[WaitingStep]:
    """The elements the case's tokens wait in (each once), sub-processes included.

    `definition` is the version the workflow runs on: its translations name the steps.
    """
    found: dict[str, WaitingStep] = {}
    for task in carrying.live_tasks(workflow):
        spec = task.task_spec
        element_id = getattr(spec, "bpmn_id", None)
        if element_id and type(spec).__name__ in WAITING_KINDS:
            found.setdefault(
                element_id, WaitingStep(element_id, _label(spec), _shown(definition, spec))
            )
    return list(found.values())


def _try(case: Case, source, target, mapping, shown: set[int]) -> CaseOutcome:
    outcome = CaseOutcome(
        case.pk,
        _title(case, shown),
        case.revision,
        movable=False,
        version=source.version,
        title_display=_title_display(case, shown),
    )
    if case.status == CaseStatus.ERROR:
        outcome.reasons.append(_("Stopped by an error: retry it or move it back before moving it."))
        return outcome
    bundle = spec_cache.bundle_for(source)
    new_spec, new_subs = spec_cache.bundle_for(target)
    try:
        instance = Instance.load(bundle, case.state, names=CaseNames(case), run_action=_no_actions)
        outcome.waiting = waiting_steps(instance.workflow, source)
        carried = carrying.carry(instance.workflow, new_spec, new_subs, mapping)
    except CannotCarry as refused:
        outcome.reasons = [reason_text(r, source, target, mapping) for r in refused.reasons]
        return outcome
    except Exception as error:  # noqa: BLE001 - a state the engine cannot read: say so, move nothing
        outcome.reasons.append(_("The case's state cannot be read: %(error)s") % {"error": error})
        return outcome
    outcome.landings = shown_landings(carried.landings, source, target)
    outcome.movable = True
    return outcome


def dry_run(
    *,
    actor,
    source: ProcessDefinition,
    target: ProcessDefinition,
    mapping: dict[str, str],
    after: int = 0,
) -> DryRun:
    """Where each case of `source` (a page, ids above `after`) lands in `target`, or why not."""
    ensure_may_manage_processes(actor)
    ensure_pair(source, target)
    mapping = clean_mapping(source, target, mapping)
    cases = list(
        Case.objects.filter(definition=source, status__in=LISTED_STATUSES, pk__gt=after)
        .order_by("pk")
        .only("pk", "title", "revision", "state", "status", "owner_id", "definition_id")[: PAGE + 1]
    )
    more = len(cases) > PAGE
    cases = cases[:PAGE]
    for case in cases:
        case.definition = source  # what its title is read by: no query per case
    shown = titles_for(actor, [case.pk for case in cases])
    outcomes = [_try(case, source, target, mapping, shown) for case in cases]
    return DryRun(outcomes, cases[-1].pk if more else None)


def migrate_cases(
    *,
    actor,
    source: ProcessDefinition,
    target: ProcessDefinition,
    mapping: dict[str, str],
    cases: dict[int, int],
) -> list[CaseOutcome]:
    """Move the given cases {id: revision seen in the dry run}; each all or nothing, on its own."""
    ensure_may_manage_processes(actor)
    ensure_pair(source, target)
    mapping = clean_mapping(source, target, mapping)
    if not cases:
        raise ApplicationError(
            _("Run a dry run first and move the cases it lists."),
            field_errors={"cases": [_("No case was given.")]},
        )
    if len(cases) > PAGE:
        raise ApplicationError(
            _("At most %(count)s cases move at once.") % {"count": PAGE},
            field_errors={"cases": [_("Too many cases.")]},
        )
    shown = titles_for(actor, cases)
    return [
        _move(
            case_id,
            revision,
            actor=actor,
            source=source,
            target=target,
            mapping=mapping,
            shown=shown,
        )
        for case_id, revision in sorted(cases.items())
    ]


def _move(
    case_id: int, revision: int, *, actor, source, target, mapping, shown: set[int]
) -> CaseOutcome:
    outcome = CaseOutcome(case_id, None, revision, movable=False, version=source.version)
    try:
        with transaction.atomic(durable=True):
            try:
                case = rows.lock_case(case_id)
            except Case.DoesNotExist:
                outcome.reasons.append(_("There is no such case."))
                return outcome
            outcome.title = _title(case, shown)
            outcome.title_display = _title_display(case, shown)
            refusal = _refusal_before(case, revision, source)
            if refusal:
                outcome.reasons.append(refusal)
                return outcome
            landings = _carry_and_save(case, actor, source, target, mapping)
            outcome.landings = shown_landings(landings, source, target)
            outcome.movable = outcome.moved = True
    except CannotCarry as refused:
        outcome.reasons = [reason_text(r, source, target, mapping) for r in refused.reasons]
    except StepError as error:
        outcome.reasons.append(
            _("The case cannot run on in version %(version)s: %(error)s")
            % {"version": target.version, "error": error.message}
        )
    return outcome


def _refusal_before(case: Case, revision: int, source) -> str:
    if case.definition_id != source.pk:
        return _("The case is no longer on version %(version)s.") % {"version": source.version}
    if case.revision != revision:
        return _(
            "The case changed since the dry run (a task done, a timer fired): "
            "run the dry run again."
        )
    if case.status not in ACTIVE_CASE_STATUSES:
        return _("The case is %(status)s.") % {"status": case.get_status_display()}
    return ""


def _carry_and_save(case: Case, actor, source, target, mapping) -> list[Landing]:
    step = Step(case, actor)
    instance = step.load()
    new_spec, new_subs = step.perform(lambda: spec_cache.bundle_for(target))
    carried = carrying.carry(instance.workflow, new_spec, new_subs, mapping)
    # The case runs on by the new version: a re-armed timer already due fires, a join completes.
    step.perform(instance.run)
    remade = carried.changed_task_ids
    step.opened_before = [task for task in step.opened_before or [] if task.id not in remade]
    if remade:
        # Their items are made again for the new element (its name, form and people).
        WorkItem.objects.filter(
            case_id=case.pk, status=WorkItemStatus.OPEN, task_id__in=list(remade)
        ).update(status=WorkItemStatus.CANCELLED, completed_at=step.now)
    step.record(
        CaseEvent.Kind.MIGRATED,
        name=target.name,
        data={
            "from_version": source.version,
            "to_version": target.version,
            "from_definition": source.pk,
            "to_definition": target.pk,
            "mapping": mapping,
            "landings": [landing.__dict__ for landing in carried.landings],
        },
    )
    case.definition = target
    step.save()
    Case.objects.filter(pk=case.pk).update(definition_id=target.pk)
    return carried.landings
