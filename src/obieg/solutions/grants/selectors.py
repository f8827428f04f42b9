"""Reads behind the grants pages: the project list and page, the deadlines, the 360° panel.

Everything is scoped by `access.visible` on the project. Obligations carry
no access paths of their own: they are read "of the projects the user sees",
through a semi-join that is left out for those who see every project. Each
read is one query of a bounded size, so a page costs the same with ten
projects or two thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from obieg.core import access, clock, roles
from obieg.core.models import User
from obieg.core.pagination import COUNT_CAP, Page, keyset_page
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.solutions.grants.models import GrantProject, Obligation, PaymentClaim

# Each ordering ends with the primary key, so the keyset is unique.
PROJECT_SORTS: dict[str, list[str]] = {
    "newest": ["-created_at", "-id"],
    "number": ["number", "id"],
    "client": ["account__name", "id"],
}
SORT_LABELS = {"newest": _("newest"), "number": _("number"), "client": _("client")}
# A project page shows its whole timeline; a runaway one is cut here and says so.
TIMELINE_LIMIT = 500
WINDOW_DAYS = 30
DEADLINES_LIMIT = 50
INDICATORS_LIMIT = 50
CHART_MONTHS = 12
CHART_INDICATORS = 20
PANEL_LIMIT = 50

OPEN = Obligation.State.OPEN


# Who sees which page: the menu shows nobody an entry that would answer 403.
def may_see_projects(user) -> bool:
    return access.is_admin(user) or user.has_role(
        *roles.SELLING_ROLES, roles.COORDINATOR, roles.SALES_MANAGER, roles.ACCOUNTANT
    )


def may_see_deadlines(user) -> bool:
    return access.is_admin(user) or user.has_role(roles.COORDINATOR, roles.SALES_MANAGER)


def is_coordinator(user) -> bool:
    return user.has_role(roles.COORDINATOR)


def visible_projects(user) -> QuerySet[GrantProject]:
    return access.visible(GrantProject.objects.all(), user)


@dataclass(frozen=True)
class Scope:
    """The projects a person's deadlines cover: every one (None), or these, read once.

    The access policy's condition is a tree of subqueries (ownership, teams, the
    cases one works on); evaluated once into ids, the dashboard's reads are plain
    index lookups by project instead of repeating it in each of them.
    """

    project_ids: list[int] | None

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """`queryset` (obligations, indicators) kept to these projects."""
        if self.project_ids is None:
            return queryset
        return queryset.filter(project_id__in=self.project_ids)


def scope_for(user) -> Scope:
    projects = visible_projects(user)
    if not projects.query.has_filters():
        return Scope(None)  # sees every project: nothing to narrow
    return Scope(list(projects.order_by().values_list("pk", flat=True)))


# --- the project list ----------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    search: str = ""
    status: str = ""
    coordinator: int | None = None
    sort: str = "newest"

    @property
    def is_filtered(self) -> bool:
        return bool(self.search or self.status or self.coordinator)


def _open_of(project_ref: str = "pk") -> QuerySet:
    return Obligation.objects.filter(project=OuterRef(project_ref), state=OPEN).order_by()


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count (one index probe per row shown, inside the page's one query)."""
    counted = queryset.values("project").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _first_due(queryset: QuerySet, field: str = "due_date") -> Subquery:
    return Subquery(queryset.order_by("due_date", "id").values(field)[:1])


def project_page(
    user, filters: ProjectFilters, *, cursor: str | None = None, size: int = 25
) -> Page:
    """A keyset page of the projects `user` sees, each with its next deadline and overdue count."""
    queryset = visible_projects(user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.coordinator:
        queryset = queryset.filter(coordinator_id=filters.coordinator)
    if filters.search:
        text = filters.search
        queryset = queryset.filter(
            Q(number__icontains=text) | Q(title__icontains=text) | Q(account__name__icontains=text)
        )
    ordering = PROJECT_SORTS.get(filters.sort, PROJECT_SORTS["newest"])
    page = keyset_page(
        queryset.select_related("account", "advisor", "coordinator"),
        ordering=ordering,
        cursor=cursor,
        size=size,
        count=False,
    )
    _add_deadline_figures(page.rows)
    # Counted without the rows' figures: only how many match, capped.
    total = queryset.order_by()[: COUNT_CAP + 1].count()
    return replace(page, count=total, count_capped=total > COUNT_CAP)


def _add_deadline_figures(projects: list[GrantProject]) -> None:
    """Each project's next open deadline and how many are overdue, in one grouped query.

    Done after the page is cut, so the figures are read for the rows shown,
    not for every project the sort passes over.
    """
    today = clock.today()
    figures = {
        row["project_id"]: row
        for row in Obligation.objects.filter(
            project_id__in=[project.pk for project in projects], state=OPEN
        )
        .values("project_id")
        .annotate(next_due=Min("due_date"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by()
    }
    for project in projects:
        row = figures.get(project.pk, {})
        project.next_due = row.get("next_due")
        project.overdue_count = row.get("overdue", 0)


def coordinators() -> QuerySet[User]:
    """The institution's project coordinators, for the list's filter."""
    return User.objects.filter(groups__name=roles.COORDINATOR, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


# --- the project page ------------------------------------------------------------------


def project_get(user, pk) -> GrantProject:
    """The project `pk` with its header's records if `user` may see it, else Http404."""
    return access.get_visible_or_404(
        GrantProject.objects.select_related(
            "account", "advisor", "coordinator", "contract", "case", "application"
        ),
        user,
        pk=pk,
    )


def open_tasks(project: GrantProject) -> list[WorkItem]:
    """The open tasks of the project's case, soonest due first."""
    if not project.case_id:
        return []
    return list(
        WorkItem.objects.filter(case_id=project.case_id, status=WorkItemStatus.OPEN)
        .select_related("assignee", "case__definition")
        .defer("case__state", "case__data", "case__definition__sources")  # names: task_label
        .order_by("due_at", "id")
    )


# What a person reads of an obligation: its state, and whether it is late on top of it.
STATUS_LABELS = {
    "done": _("done"),
    "cancelled": _("cancelled"),
    "escalated": _("escalated"),
    "overdue": pgettext_lazy("obligation", "overdue"),
    "reminded": _("reminded"),
    "open": _("open"),
}
STATUS_STYLES = {
    "done": "success",
    "cancelled": "secondary",
    "escalated": "danger",
    "overdue": "danger",
    "reminded": "warning",
    "open": "primary",
}


def obligation_status(obligation: Obligation, today: date) -> str:
    """done, cancelled, escalated, overdue, reminded or open: the most pressing that holds."""
    if obligation.state == Obligation.State.DONE:
        return "done"
    if obligation.state == Obligation.State.CANCELLED:
        return "cancelled"
    if obligation.escalated_at:
        return "escalated"
    if obligation.due_date < today:
        return "overdue"
    if obligation.reminded_at:
        return "reminded"
    return "open"


@dataclass(frozen=True)
class Deadline:
    """An obligation as the timeline and the dashboard show it."""

    obligation: Obligation
    status: str
    overdue: bool
    days_left: int

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def when(self) -> str:
        """ "3 days late", "due today", "in 5 days" (cheaper said here than in a template row)."""
        if self.days_left < 0:
            count = self.days_late
            return ngettext("%(counter)s day late", "%(counter)s days late", count) % {
                "counter": count
            }
        if self.days_left == 0:
            return gettext("due today")
        count = self.days_left
        return ngettext("in %(counter)s day", "in %(counter)s days", count) % {"counter": count}

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def style(self) -> str:
        return STATUS_STYLES[self.status]


def as_deadline(obligation: Obligation, today: date) -> Deadline:
    late = obligation.state == OPEN and obligation.due_date < today
    return Deadline(
        obligation=obligation,
        status=obligation_status(obligation, today),
        overdue=late,
        days_left=(obligation.due_date - today).days,
    )


def timeline(project: GrantProject) -> list[Deadline]:
    """Every obligation of the project (invoices, claims, reports, measurements) by due date."""
    today = clock.today()
    obligations = project.obligations.select_related(
        "schedule_item__invoice", "claim", "report", "measurement__indicator"
    ).order_by("due_date", "id")[:TIMELINE_LIMIT]
    return [as_deadline(obligation, today) for obligation in obligations]


# --- the customer's 360° page --------------------------------------------------------------


def account_projects(user, account) -> dict | None:
    """The account's grant projects with their contract, schedule, grant, claims and reports.

    One query whatever the number of projects: the schedule, claim and report
    figures are correlated subqueries on the obligations' (project, due date)
    index. None when the user sees no project of this account.
    """
    # Most customers have no grant project: one index probe spares them building
    # and compiling the access policy's subqueries and the six figures below.
    if not GrantProject.objects.filter(account=account).exists():
        return None
    today = clock.today()
    payments = _open_of().filter(kind=Obligation.Kind.PAYMENT)
    claims = _open_of().filter(kind=Obligation.Kind.CLAIM)
    reports = _open_of().filter(kind=Obligation.Kind.REPORT)
    claim_rows = PaymentClaim.objects.filter(project=OuterRef("pk"))
    projects = list(
        visible_projects(user)
        .filter(account=account)
        .select_related("contract", "application", "coordinator")
        .annotate(
            next_payment_due=_first_due(payments),
            next_payment_amount=_first_due(payments, "schedule_item__amount"),
            overdue_payments=_count(payments.filter(due_date__lt=today)),
            claim_count=_count(claim_rows.order_by()),
            next_claim_due=_first_due(claims),
            next_report_due=_first_due(reports),
        )
        .order_by("-created_at", "-id")[:PANEL_LIMIT]
    )
    if not projects:
        return None
    return {"projects": projects, "limit": PANEL_LIMIT}
