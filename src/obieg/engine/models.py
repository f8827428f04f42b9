"""Process definitions, cases, work items (the inbox) and case history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.core import clock
from obieg.core.access import AccessPaths
from obieg.engine import labels


class DeployOrigin(models.TextChoices):
    SOLUTION = "solution", _("solution files")
    COMMAND = "command", _("deploy command")
    STUDIO = "studio", _("process studio")
    API = "api", _("API")


class DeployedDefinitions(models.Manager):
    """Deployed versions only: a test run's definition is nobody's version (`engine.sandbox`)."""

    def get_queryset(self):
        return super().get_queryset().filter(sandbox=False)


class ProcessDefinition(models.Model):
    """One deployed version of a BPMN process, with every file it needs."""

    key = models.CharField(_("key"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    solution = models.CharField(_("solution"), max_length=100, blank=True)
    source_name = models.CharField(_("file"), max_length=300)
    # {file name: XML text}: the process file, the files of processes it calls
    # and the DMN files it uses, exactly as deployed.
    sources = models.JSONField(_("sources"))
    checksum = models.CharField(_("checksum"), max_length=64)
    deployed_at = models.DateTimeField(_("deployed at"), default=timezone.now)
    # What deploy warned about in these files ("file: element (name): what"): the
    # version runs, but an administrator should read these (unmatched groups …).
    warnings = models.JSONField(_("deploy warnings"), default=list, blank=True)
    # Deployed before FEEL: its DMN tables are in the first models' Python-like syntax.
    python_decisions = models.BooleanField(default=False, editable=False)
    # Where the version came from: a solution's folder (at start), the `obieg deploy`
    # command, the process studio or the API; and who deployed it (none at start).
    origin = models.CharField(
        _("deployed from"), max_length=10, choices=DeployOrigin.choices, default="solution"
    )
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deployed by"),
    )
    # The files of a draft run in a test run (version 0, never deployed): invisible to
    # every list and lookup (`objects`); only `engine.sandbox` reads it, by `all_objects`.
    sandbox = models.BooleanField(_("test run"), default=False, editable=False)

    all_objects = models.Manager()
    objects = DeployedDefinitions()

    class Meta:
        default_manager_name = "objects"
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(sandbox=False),
                name="engine_definition_key_version",
            )
        ]
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")

    def __str__(self) -> str:
        return f"{labels.process_label(self)} v{self.version}"

    @property
    def bpmn(self) -> str:
        """The XML of the process's own file (what a diagram viewer shows)."""
        return self.sources[self.source_name]


class CaseStatus(models.TextChoices):
    RUNNING = "running", _("running")
    WAITING = "waiting", _("waiting")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    ERROR = "error", _("error")


ACTIVE_CASE_STATUSES = (CaseStatus.RUNNING, CaseStatus.WAITING)


class LiveCases(models.Manager):
    """Real cases only: a test run (`engine.sandbox`) is in no list, count, search or report."""

    def get_queryset(self):
        return super().get_queryset().filter(sandbox=False)


class Case(models.Model):
    """One run of a process for one business object (an opportunity, an inquiry …)."""

    access = AccessPaths(owner="owner")

    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="cases", verbose_name=_("process")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.RUNNING
    )
    # SpiffWorkflow's saved task tree, without the spec (see engine.spiff.serializer).
    state = models.TextField(blank=True)
    # The case data as it stands, for display and search; the engine reads `state`.
    data = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder)
    next_timer_at = models.DateTimeField(_("next timer"), null=True, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    error_element = models.CharField(_("failed element"), max_length=200, blank=True)
    # What to replay when an administrator retries a failed step.
    pending_step = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    completed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # A process administrator's test run of a draft: runs on a sandbox definition, its
    # actions rehearsed and rolled back, its tasks routed to nobody (`engine.sandbox`).
    sandbox = models.BooleanField(_("test run"), default=False, editable=False)

    # The default manager leaves test runs out, so no page, API or report can list one;
    # the engine's own reads by id (the case lock, a related case) still find them.
    all_objects = models.Manager()
    objects = LiveCases()

    class Meta:
        default_manager_name = "objects"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_timer_at"],
                condition=Q(status__in=["running", "waiting"], next_timer_at__isnull=False),
                name="engine_case_due_timer",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="engine_case_subject"),
            models.Index(fields=["owner", "status"], name="engine_case_owner_status"),
            models.Index(fields=["status", "-started_at"], name="engine_case_status"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        # In the reader's language: a case without a subject is named by its process.
        return labels.case_label(self)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_CASE_STATUSES


class CorrelationKey(models.Model):
    """A business key a message can be addressed to ("offer:17"), pointing at its case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="engine_correlation_case_key")
        ]

    def __str__(self) -> str:
        return self.key


class WorkItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class WorkItem(models.Model):
    """A user task waiting for (or done by) a person: the row the inbox reads.

    Copied out of the engine's state at each step so inboxes are index
    lookups, never scans of case states. An open item with an assignee is
    that person's (claimed, or assigned by the model or a manager); an open
    item without one waits in its group's or department's queue.
    """

    # No index of its own: (case, status) below starts with it.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="work_items", db_index=False
    )
    # Unique among open items only (the constraint below, whose partial index also
    # serves the step's "cancel these open tasks"): a case moved back reopens a task
    # it passed, with the same engine task id; the completed item stays as history.
    task_id = models.UUIDField()
    element_id = models.CharField(_("element"), max_length=200)
    name = models.CharField(_("task"), max_length=200)
    form_key = models.CharField(_("form"), max_length=200, blank=True)
    lane = models.CharField(_("lane"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
        verbose_name=_("assignee"),
        db_index=False,  # the inbox index (assignee, status, due_at, id) starts with it
    )
    candidate_group = models.CharField(_("group"), max_length=150, blank=True)
    candidate_department = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
        verbose_name=_("department"),
        db_index=False,  # engine_item_routed_department, of the rows that name one
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorkItemStatus.choices, default=WorkItemStatus.OPEN
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # engine_item_completed_by, of the rows that name one
    )
    # Bumped by claim, release and reassign: a form rendered before is stale.
    revision = models.PositiveIntegerField(default=0)
    # What the model named (a Camunda candidate group, an assignee) when none of it
    # matched a person, role or department: the item waits in the unassigned queue.
    unmatched = models.CharField(_("named in the model"), max_length=300, blank=True)
    follow_up_at = models.DateTimeField(_("follow up"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The inbox: a person's items, and each queue's unclaimed ones, in due-date
            # order (then id), so a capped page is read straight off the index. The
            # queues are partial indexes: "assignee IS NULL" cannot order an index scan.
            models.Index(
                fields=["assignee", "status", "due_at", "id"], name="engine_item_assignee"
            ),
            models.Index(
                fields=["candidate_group", "due_at", "id"],
                condition=Q(status="open", assignee__isnull=True),
                name="engine_item_group",
            ),
            models.Index(
                fields=["candidate_department", "due_at", "id"],
                condition=Q(status="open", assignee__isnull=True),
                name="engine_item_department",
            ),
            models.Index(fields=["case", "status"], name="engine_item_case"),
            # Who completed an item, and which department it was routed to, are
            # NULL on most rows (cancelled items, queues of a role). A full index
            # makes SQLite's statistics average over those NULLs: it took
            # "completed_by = ?" to match most of the table and read all of it for
            # a participant's cases. Indexing only the rows that name someone keeps
            # the figure true (and the index small); "= ?" implies "IS NOT NULL",
            # so both databases use these for the lookups and the SET NULL on delete.
            models.Index(
                fields=["completed_by"],
                condition=Q(completed_by__isnull=False),
                name="engine_item_completed_by",
            ),
            models.Index(
                fields=["candidate_department"],
                condition=Q(candidate_department__isnull=False),
                name="engine_item_routed_department",
            ),
            # The administrators' "unassigned work" queue: nobody and no queue has it.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(
                    status="open",
                    assignee__isnull=True,
                    candidate_group="",
                    candidate_department__isnull=True,
                ),
                name="engine_item_unassigned",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status="open", overdue=False, due_at__isnull=False),
                name="engine_item_coming_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task_id"], condition=Q(status="open"), name="engine_item_open_task"
            )
        ]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self) -> str:
        return labels.item_label(self)

    @property
    def is_open(self) -> bool:
        return self.status == WorkItemStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < clock.now()

    @property
    def is_queued(self) -> bool:
        """True when the item waits in a group or department queue (nobody has it)."""
        return self.is_open and self.assignee_id is None

    @property
    def is_unassigned(self) -> bool:
        """True when nobody and no queue has the item: an administrator hands it out."""
        return (
            self.is_open
            and self.assignee_id is None
            and not self.candidate_group
            and self.candidate_department_id is None
        )


class CaseEvent(models.Model):
    """One line of a case's history: who did what, when, at which element, with which data."""

    class Kind(models.TextChoices):
        STARTED = "started", _("started")
        TASK_CREATED = "task_created", _("task created")
        TASK_COMPLETED = "task_completed", _("task completed")
        TASK_CANCELLED = "task_cancelled", _("task cancelled")
        CLAIMED = "claimed", _("claimed")
        RELEASED = "released", _("released")
        REASSIGNED = "reassigned", _("reassigned")
        OVERDUE = "overdue", _("overdue")
        GATEWAY = "gateway", _("path chosen")
        ACTION = "action", _("action run")
        DECISION = "decision", _("decision made")
        TIMER_FIRED = "timer_fired", _("timer fired")
        MESSAGE = "message", _("message received")
        ENDED = "ended", _("completed")
        CANCELLED = "cancelled", _("cancelled")
        STEP_FAILED = "step_failed", _("step failed")
        RETRIED = "retried", _("retried")
        MOVED_BACK = "moved_back", _("moved back")
        EXTERNAL_FAILED = "external_failed", _("external task failed")
        INCIDENT = "incident", _("incident")
        BPMN_ERROR = "bpmn_error", _("BPMN error thrown")
        RETRIES_SET = "retries_set", _("retries set")
        MIGRATED = "migrated", _("moved to another version")
        REHEARSED = "rehearsed", _("test run: not done for real")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # indexed by (case, at) below
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    element_id = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    # What changed or was decided: submitted fields, decision outputs, a reason.
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="engine_event_case")]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()


class NameMapping(models.Model):
    """A name process models use for people (a Camunda candidate group) and who it means here.

    Models drawn elsewhere name groups their own way (`accounting`, `sales-team`);
    an administrator maps such a name to an Obieg role, department or user
    (`accounting → accountant`) instead of editing every model.
    """

    name = models.CharField(_("name in models"), max_length=150)
    role = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("role"),
    )
    department = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="engine_name_mapping_name"),
            # Exactly one of role, department, user.
            models.CheckConstraint(
                condition=(
                    Q(role__isnull=False, department__isnull=True, user__isnull=True)
                    | Q(role__isnull=True, department__isnull=False, user__isnull=True)
                    | Q(role__isnull=True, department__isnull=True, user__isnull=False)
                ),
                name="engine_name_mapping_one_target",
            ),
        ]
        verbose_name = _("name in models")
        verbose_name_plural = _("names in models")

    def __str__(self) -> str:
        return f"{self.name} → {self.role or self.department or self.user}"


class ExternalTaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class ExternalTask(models.Model):
    """A service task done by a program outside Obieg (Camunda's external task pattern).

    Workers fetch and lock open tasks of their topics through the API,
    then complete them, report a failure (retries, back-off) or throw a
    BPMN error. With no retries left the task is an incident an
    administrator sees on the case page.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="external_tasks", db_index=False
    )
    task_id = models.UUIDField()
    element_id = models.CharField(_("element"), max_length=200)
    name = models.CharField(_("task"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExternalTaskStatus.choices,
        default=ExternalTaskStatus.OPEN,
    )
    # What the worker gets: the task's data after its input mappings, and the model's headers.
    variables = models.JSONField(_("variables"), default=dict, encoder=DjangoJSONEncoder)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    worker_id = models.CharField(_("worker"), max_length=200, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    # None until a worker reports a failure (as in Camunda), unless the model sets them.
    retries = models.IntegerField(_("retries"), null=True, blank=True)
    retry_at = models.DateTimeField(_("retry after"), null=True, blank=True)
    incident = models.BooleanField(_("incident"), default=False)
    error_message = models.TextField(_("error"), blank=True)
    error_details = models.TextField(_("error details"), blank=True)
    error_code = models.CharField(_("BPMN error code"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # fetch-and-lock: a topic's open tasks, oldest first.
            models.Index(
                fields=["topic", "created_at", "id"],
                condition=Q(status="open", incident=False),
                name="engine_external_fetchable",
            ),
            models.Index(fields=["case", "status"], name="engine_external_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task_id"], condition=Q(status="open"), name="engine_external_open_task"
            )
        ]
        permissions = [("work_external_tasks", _("Can fetch and complete external tasks"))]
        verbose_name = _("external task")
        verbose_name_plural = _("external tasks")

    def __str__(self) -> str:
        return f"{self.name} ({self.topic})"

    @property
    def is_open(self) -> bool:
        return self.status == ExternalTaskStatus.OPEN

    @property
    def is_locked(self) -> bool:
        return self.is_open and self.locked_until is not None and self.locked_until > clock.now()


class StudioDraft(models.Model):
    """A model file being prepared in the process studio: uploaded or drawn, not yet deployed.

    Drafts of one solution are checked and deployed together with the files
    its current versions hold (`engine.studio.workspace`); deploying them
    removes them. `revision` guards against two administrators saving over
    each other.
    """

    solution = models.CharField(_("solution"), max_length=100, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    xml = models.TextField(_("model"))
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saved by"),
    )
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["solution", "file_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "file_name"], name="engine_studio_draft_file"
            )
        ]
        verbose_name = _("draft model")
        verbose_name_plural = _("draft models")

    def __str__(self) -> str:
        return f"{self.solution}/{self.file_name}" if self.solution else self.file_name

    @property
    def is_decision(self) -> bool:
        return self.file_name.endswith(".dmn")
