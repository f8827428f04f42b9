"""Reads: visible inquiries, department suggestions, expert candidates, the board figures."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from obieg.core import access, clock, roles
from obieg.core.models import Department, Specialisation
from obieg.crm.models import Activity
from obieg.engine.models import Case, WorkItem, WorkItemStatus
from obieg.engine.runtime.permissions import may_work_on
from obieg.solutions.expert_opinions.margins import margin_text
from obieg.solutions.expert_opinions.models import BoardReview, Expert, Inquiry

_WORD = re.compile(r"\w+", re.UNICODE)
# Polish inflects words at the end ("wypadek", "wypadku", "wypadkowej"): comparing the
# first letters of longer words finds the same word in its different forms.
_STEM = 5
# How many recently assigned inquiries teach the suggestion.
HISTORY = 300


def expert_departments() -> QuerySet[Department]:
    """Departments that handle opinions: those with at least one specialisation."""
    with_specialisations = Department.specialisations.through.objects.values("department_id")
    return Department.objects.filter(pk__in=with_specialisations).order_by("name")


def client_language(inquiry: Inquiry) -> str:
    """The language of what the client reads: the contact's, else the account's (Polish)."""
    contact = inquiry.contact if inquiry.contact_id else None
    if contact is not None and contact.language:
        return contact.language
    return inquiry.account.language or "pl"


def offer_pdf_version(inquiry: Inquiry):
    """The newest version of the offer PDF sent to the client, or None before it was sent."""
    document = inquiry.offer_document if inquiry.offer_document_id else None
    if document is None:
        return None
    return document.versions.order_by("-number").first()


def why_no_inquiry(meeting: Activity) -> str | None:
    """Why `meeting` cannot become an inquiry (a sentence for the salesperson), or None.

    An inquiry records that a meeting went well: one that has not taken place
    yet, or whose outcome nobody recorded as positive, is not one. The pages
    offer the action only where this says None, and the service refuses the rest.
    """
    if meeting.kind != Activity.Kind.MEETING:
        return _("Only a meeting can become an inquiry.")
    if meeting.occurs_at > clock.now():
        when = formats.date_format(timezone.localtime(meeting.occurs_at), "SHORT_DATETIME_FORMAT")
        return _(
            "This meeting has not taken place yet (it is planned for %(when)s); only a "
            "meeting that took place can become an inquiry."
        ) % {"when": when}
    if meeting.status != Activity.Status.DONE or meeting.outcome != Activity.Outcome.POSITIVE:
        return _(
            "Only a meeting that went well becomes an inquiry: record it as done with a "
            "positive outcome first."
        )
    return None


def _stems(text: str) -> set[str]:
    return {word[:_STEM] for word in _WORD.findall(text.lower()) if len(word) >= 4}


def suggest_department(inquiry: Inquiry) -> Department | None:
    """The department whose specialisations match the inquiry best; the secretariat decides.

    The kind of opinion chosen by the salesperson decides when there is one;
    otherwise the words of the subject and description are compared with the
    names of the department's specialisations, and (counting half) with the
    subjects of the inquiries the secretariat gave it lately, so suggestions
    learn from its decisions. Ties go to the department with fewer open
    inquiries.
    """
    departments = list(
        expert_departments()
        .prefetch_related("specialisations")
        .annotate(
            open_inquiries=Count(
                "inquiries",
                filter=~Q(
                    inquiries__status__in=[
                        Inquiry.Status.DELIVERED,
                        Inquiry.Status.REJECTED_BY_BOARD,
                        Inquiry.Status.REJECTED_BY_CLIENT,
                    ]
                ),
            )
        )
    )
    words = _stems(f"{inquiry.subject} {inquiry.description}")
    history: dict[int, set[str]] = defaultdict(set)
    recent = Inquiry.objects.filter(department__isnull=False).exclude(pk=inquiry.pk)
    for department_id, subject in recent.order_by("-id").values_list("department_id", "subject")[
        :HISTORY
    ]:
        history[department_id] |= _stems(subject)

    def score(department: Department) -> int:
        specialisations = list(department.specialisations.all())
        if inquiry.specialisation_id:
            return 100 * any(s.pk == inquiry.specialisation_id for s in specialisations)
        names = " ".join(f"{s.name} {s.code.replace('_', ' ')}" for s in specialisations)
        return 2 * len(words & _stems(names)) + len(words & history[department.pk])

    ranked = sorted(departments, key=lambda d: (-score(d), d.open_inquiries, d.name))
    if not ranked or score(ranked[0]) == 0:
        return None
    return ranked[0]


def _serving(department: Department) -> QuerySet:
    """The ids of experts who serve the department or share one of its specialisations."""
    specialisations = Specialisation.objects.filter(departments=department)
    return Expert.objects.filter(
        Q(departments=department) | Q(specialisations__in=specialisations)
    ).values("pk")


def expert_candidates(*, department: Department, needed_by: date | None = None) -> QuerySet[Expert]:
    """Active experts who serve the department or share one of its specialisations.

    With `needed_by`, only those free before that day; the cheapest and the
    soonest available first.
    """
    experts = Expert.objects.filter(active=True, pk__in=_serving(department))
    if needed_by is not None:
        experts = experts.filter(Q(available_from__isnull=True) | Q(available_from__lt=needed_by))
    return experts.order_by("hourly_rate", "name", "id")


def expert_register(
    *, query: str = "", include_inactive: bool = False, department: Department | None = None
) -> QuerySet[Expert]:
    """The register, searched; with `department`, the experts for its kinds of opinion."""
    experts = Expert.objects.prefetch_related("departments", "specialisations")
    if not include_inactive:
        experts = experts.filter(active=True)
    if department is not None:
        experts = experts.filter(pk__in=_serving(department))
    if query:
        experts = experts.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return experts


# Who each page is for: the menu, the tabs and the pages themselves ask the same functions.


def may_work_on_inquiries(user) -> bool:
    """Those whose work the inquiries are: sales, the secretariat, the departments, the board."""
    return user.is_authenticated and (
        access.is_admin(user)
        or user.has_role(
            *roles.SELLING_ROLES,
            roles.SALES_MANAGER,
            roles.SECRETARIAT,
            roles.DEPARTMENT_HEAD,
            roles.BOARD,
        )
        or user.department_id is not None
    )


def may_turn_meetings_into_inquiries(user) -> bool:
    """Those who meet clients: the salespeople (and their managers)."""
    return user.is_authenticated and (
        access.is_admin(user) or user.has_role(*roles.SELLING_ROLES, roles.SALES_MANAGER)
    )


def may_see_experts(user) -> bool:
    """The register shows rates (the firm's costs): for the firm's staff, not for sales."""
    return user.is_authenticated and (
        access.is_admin(user)
        or user.has_role(roles.SECRETARIAT, roles.DEPARTMENT_HEAD, roles.BOARD)
        or user.department_id is not None
    )


def may_manage_experts(user) -> bool:
    """The register is kept by the secretariat and the heads of departments."""
    return user.is_authenticated and (
        access.is_admin(user) or user.has_role(roles.SECRETARIAT, roles.DEPARTMENT_HEAD)
    )


def inquiries_visible(user) -> QuerySet[Inquiry]:
    """Inquiries the user may see: the access policy, and every one for the secretariat.

    A salesperson sees their own, a department its own, the board those
    escalated to it; the secretariat assigns them all, so it sees them all.
    """
    inquiries = Inquiry.objects.select_related("account", "department", "owner", "offer")
    if user.is_authenticated and user.is_active and user.has_role(roles.SECRETARIAT):
        return inquiries
    return access.visible(inquiries, user)


def inquiry_get(user, pk) -> Inquiry:
    try:
        return inquiries_visible(user).get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def inquiry_open_items(inquiry: Inquiry, user) -> list[tuple[WorkItem, bool]]:
    """The inquiry's open tasks, each with whether `user` may work on it."""
    if inquiry.case_id is None:
        return []
    items = (
        WorkItem.objects.filter(case_id=inquiry.case_id, status=WorkItemStatus.OPEN)
        .select_related("assignee", "candidate_department", "case__definition")
        .defer("case__state", "case__data", "case__definition__sources")  # names: task_label
        .order_by("created_at", "id")
    )
    return [(item, may_work_on(item, user)) for item in items]


def open_item(inquiry: Inquiry, element_id: str) -> WorkItem | None:
    if inquiry.case_id is None:
        return None
    return (
        WorkItem.objects.filter(
            case_id=inquiry.case_id, element_id=element_id, status=WorkItemStatus.OPEN
        )
        .order_by("-id")
        .first()
    )


def may_see_board_page(user) -> bool:
    return user.is_authenticated and (access.is_admin(user) or user.has_role(roles.BOARD))


def required_margin(inquiry: Inquiry) -> Decimal | None:
    """The minimum margin the approval table gave the inquiry's offer; None before it ran."""
    if inquiry.case_id is None:
        return None
    data = Case.objects.filter(pk=inquiry.case_id).values_list("data", flat=True).first() or {}
    try:
        return Decimal(str(data["minimum_margin"]))
    except (KeyError, InvalidOperation, TypeError, ValueError):
        return None


def inquiry_summary(inquiry: Inquiry) -> list[tuple[str, str]]:
    """What the engine's task and case pages show beside the work: who, where, the offer's margin.

    The margin is shown against the minimum the approval table gave, with as
    many digits as it takes to see why the offer went to the board (or did not).
    """
    from obieg.web.templatetags.sales_format import pln

    rows = [
        (_("Client"), str(inquiry.account)),
        (_("Salesperson"), str(inquiry.owner or "—")),
        (_("Status"), inquiry.get_status_display()),
        (_("Department"), str(inquiry.department or "—")),
    ]
    if inquiry.requested_deadline:
        rows.append((_("Requested deadline"), formats.date_format(inquiry.requested_deadline)))
    offer = inquiry.offer
    if offer is None:
        return rows
    minimum = required_margin(inquiry)
    margin = "—" if offer.margin is None else margin_text(offer.margin, minimum)
    if minimum is not None:
        margin = _("%(margin)s (minimum %(minimum)s)") % {
            "margin": margin,
            "minimum": margin_text(minimum),
        }
    rows += [
        (_("Offer"), str(offer)),
        (_("Price (net)"), pln(offer.total_net)),
        (_("Cost"), pln(offer.total_cost)),
        (_("Margin"), margin),
    ]
    return rows


HOME_ROWS = 10


def is_secretariat(user) -> bool:
    return user.is_authenticated and user.has_role(roles.SECRETARIAT)


def secretariat_queue(user) -> dict:
    """The secretariat's home: inquiries waiting for a department, the oldest first."""
    waiting = Inquiry.objects.filter(status=Inquiry.Status.NEW)
    return {
        "inquiries": list(waiting.select_related("account", "owner").order_by("id")[:HOME_ROWS]),
        "count": waiting.count(),
    }


def is_board(user) -> bool:
    return user.is_authenticated and user.has_role(roles.BOARD)


def board_queue(user) -> dict:
    """The board's home: offers waiting for its decision, the longest waiting first."""
    pending = BoardReview.objects.filter(decision=BoardReview.Decision.PENDING)
    reviews = pending.select_related("inquiry", "inquiry__account", "inquiry__department", "offer")
    return {
        "reviews": list(reviews.order_by("escalated_at", "id")[:HOME_ROWS]),
        "count": pending.count(),
    }


def board_reviews(*, since: datetime | None = None, limit: int = 100) -> list[BoardReview]:
    """The newest offers that came to the board, with their inquiry and who decided."""
    reviews = BoardReview.objects.select_related(
        "inquiry", "inquiry__account", "inquiry__department", "offer", "decided_by"
    )
    if since is not None:
        reviews = reviews.filter(escalated_at__gte=since)
    return list(reviews.order_by("-escalated_at", "-id")[:limit])


def board_monthly_figures(*, months: int = 12, until: datetime | None = None) -> list[dict]:
    """Per month (newest first): offers that came to the board, their average margin, decisions.

    One grouped query over the escalation-date index, whatever the table's size.
    """
    reviews = BoardReview.objects.all()
    if until is not None:
        reviews = reviews.filter(escalated_at__lt=until)
    return list(
        reviews.annotate(month=TruncMonth("escalated_at"))
        .values("month")
        .annotate(
            count=Count("id"),
            average_margin=Avg("margin"),
            lowest_margin=Min("margin"),
            # Each margin here is below its own minimum, so the average is below the highest
            # minimum and the lowest below the lowest: shown against them, neither rounds up
            # to a minimum it missed.
            lowest_minimum=Min("minimum_margin"),
            highest_minimum=Max("minimum_margin"),
            approved=Count("id", filter=Q(decision=BoardReview.Decision.APPROVED)),
            rejected=Count("id", filter=Q(decision=BoardReview.Decision.REJECTED)),
            returned=Count("id", filter=Q(decision=BoardReview.Decision.RETURNED)),
            pending=Count("id", filter=Q(decision=BoardReview.Decision.PENDING)),
        )
        .order_by("-month")[:months]
    )
