"""Inquiry pages: meetings to turn into inquiries, the list, the detail with its open steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access, clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.core.pagination import keyset_page
from obieg.crm.models import Activity
from obieg.engine import labels
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.engine.runtime.permissions import may_work_on
from obieg.solutions.expert_opinions import selectors, services
from obieg.solutions.expert_opinions.forms import FORMS
from obieg.solutions.expert_opinions.models import Inquiry
from obieg.solutions.expert_opinions.page_forms import InquiryFromMeetingForm, OpinionUploadForm
from obieg.web.views.common import add_service_error, refuse


def _detail_url(inquiry: Inquiry) -> str:
    return reverse("expert_opinions:inquiry_detail", args=[inquiry.pk])


@login_required
@require_GET
def meeting_list(request):
    """The user's meetings that can still become inquiries, newest first.

    Each says what can be done with it now: record how a held meeting went,
    make an inquiry of one that went well; a meeting still ahead only waits.
    """
    meetings = (
        access.visible(
            Activity.objects.select_related("account").filter(
                kind=Activity.Kind.MEETING, inquiry__isnull=True, owner=request.user
            ),
            request.user,
        )
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(outcome=Activity.Outcome.NEGATIVE)
    )
    page = keyset_page(
        meetings, ordering=["-occurs_at", "-id"], cursor=request.GET.get("cursor"), size=25
    )
    now = clock.now()
    for meeting in page.rows:
        meeting.held = meeting.occurs_at <= now
        meeting.may_become_inquiry = selectors.why_no_inquiry(meeting) is None
    return render(request, "expert_opinions/meeting_list.html", {"page": page})


@login_required
@require_POST
def meeting_outcome(request, meeting_pk):
    """Record from the meetings page that a held meeting went well or not."""
    meeting = access.get_visible_or_404(Activity.objects.all(), request.user, pk=meeting_pk)
    try:
        services.meeting_record_outcome(
            actor=request.user, meeting=meeting, outcome=request.POST.get("outcome", "")
        )
    except ApplicationError as error:
        return refuse(
            request,
            error.message,
            status=error.status_code,
            back_url=reverse("expert_opinions:meeting_list"),
        )
    return redirect(reverse("expert_opinions:meeting_list") + f"#meeting-{meeting.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_from_meeting(request, meeting_pk):
    meeting = access.get_visible_or_404(
        Activity.objects.select_related("account"), request.user, pk=meeting_pk
    )
    if meeting.kind != Activity.Kind.MEETING:
        raise Http404
    existing = Inquiry.objects.filter(meeting=meeting).first()
    if existing is not None:
        return redirect(_detail_url(existing))
    refusal = selectors.why_no_inquiry(meeting)
    if refusal is not None:  # the form is offered only for a meeting that went well
        return refuse(
            request, refusal, status=400, back_url=reverse("expert_opinions:meeting_list")
        )
    form = InquiryFromMeetingForm(request.POST or None, initial={"subject": meeting.subject})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_from_meeting(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status_code
        else:
            messages.success(
                request,
                _("Inquiry %(number)s registered; the secretariat will assign it.")
                % {"number": inquiry.number},
            )
            return redirect(_detail_url(inquiry))
    return render(
        request,
        "expert_opinions/inquiry_from_meeting.html",
        {"form": form, "meeting": meeting},
        status=status,
    )


@login_required
@require_GET
def inquiry_list(request):
    inquiries = selectors.inquiries_visible(request.user)
    status = request.GET.get("status", "")
    if status in Inquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    page = keyset_page(inquiries, ordering=["-id"], cursor=request.GET.get("cursor"), size=25)
    return render(
        request,
        "expert_opinions/inquiry_list.html",
        {"page": page, "status": status, "statuses": Inquiry.Status.choices},
    )


def _task_forms(inquiry: Inquiry, user, bound: dict | None = None) -> list[dict]:
    """Each open step of the inquiry, with its form when the user may do it."""
    steps = []
    for item, mine in selectors.inquiry_open_items(inquiry, user):
        form_class = FORMS.get(item.form_key)
        form = None
        if mine and form_class is not None:
            form = (bound or {}).get(item.pk) or form_class(inquiry=inquiry, prefix=f"t{item.pk}")
        steps.append({"item": item, "mine": mine, "form": form})
    return steps


def _render_detail(request, inquiry: Inquiry, *, bound=None, upload_form=None, status=200):
    context = {
        "inquiry": inquiry,
        "steps": _task_forms(inquiry, request.user, bound),
        "upload_form": upload_form or OpinionUploadForm(),
        "assignments": list(inquiry.assignments.select_related("expert")),
        "reviews": list(inquiry.board_reviews.select_related("decided_by", "offer")),
        "minimum_margin": selectors.required_margin(inquiry) if inquiry.offer_id else None,
        "suggested": selectors.suggest_department(inquiry)
        if inquiry.status == Inquiry.Status.NEW
        else None,
    }
    return render(request, "expert_opinions/inquiry_detail.html", context, status=status)


@login_required
@require_GET
def inquiry_detail(request, pk):
    return _render_detail(request, selectors.inquiry_get(request.user, pk))


@login_required
@require_POST
def inquiry_task(request, pk, item_pk):
    """Complete one open step of the inquiry with its form, shown with the inquiry's context."""
    inquiry = selectors.inquiry_get(request.user, pk)
    item = (
        WorkItem.objects.filter(pk=item_pk, case_id=inquiry.case_id, status=WorkItemStatus.OPEN)
        .select_related("case__definition")
        .defer("case__state", "case__data", "case__definition__sources")
        .first()
    )
    if item is None or item.form_key not in FORMS:
        messages.warning(request, _("This step was already done."))
        return redirect(_detail_url(inquiry))
    if not may_work_on(item, request.user):
        return refuse(request, _("This step is for someone else."), status=403)
    prefix = f"t{item.pk}"
    form = FORMS[item.form_key](request.POST, inquiry=inquiry, prefix=prefix)
    if form.is_valid():
        # The engine checks the raw values again with the same form (without the page's context).
        data = QueryDict(mutable=True)
        for key in request.POST:
            if key.startswith(f"{prefix}-"):
                data.setlist(key.removeprefix(f"{prefix}-"), request.POST.getlist(key))
        try:
            services.complete_inquiry_task(
                actor=request.user,
                inquiry=inquiry,
                element_id=item.element_id,
                data=data,
                revision=_revision(request),
            )
        except Conflict as error:
            form.add_error(None, error.message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(step)s: done.") % {"step": labels.item_label(item)})
            return redirect(_detail_url(inquiry))
    inquiry.refresh_from_db()
    return _render_detail(request, inquiry, bound={item.pk: form}, status=200)


def _revision(request) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def opinion_upload(request, pk):
    inquiry = selectors.inquiry_get(request.user, pk)
    form = OpinionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.opinion_upload(
                actor=request.user,
                inquiry=inquiry,
                file=form.cleaned_data["file"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The opinion is filed; deliver it to the client."))
            return redirect(_detail_url(inquiry))
    return _render_detail(request, inquiry, upload_form=form)
