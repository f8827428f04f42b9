"""Writes of the expert-opinions firm: inquiries from meetings, the expert register, task shortcuts.

Each function is one transaction. The process itself moves through the
engine (`engine.runtime.services`); the functions here that complete a
task are shortcuts for the inquiry page, which knows the inquiry and so
can offer better choices than the generic task page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, clock, records, sequences
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import Specialisation
from obieg.crm import services as crm
from obieg.crm.models import Activity, Opportunity
from obieg.documents import services as documents
from obieg.documents import validators
from obieg.documents.models import Document
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.permissions import ensure_may_work_on
from obieg.solutions.expert_opinions import selectors
from obieg.solutions.expert_opinions.models import Expert, Inquiry

PROCESS = "expert_opinion_inquiry"


def _today() -> date:
    return timezone.localdate(clock.now())


def _next_number() -> str:
    stem = f"ZAP/{_today().year}/"

    def highest_stored() -> int:
        last = Inquiry.objects.filter(number__startswith=stem).aggregate(m=Max("number"))["m"]
        return int(last.rsplit("/", 1)[1]) if last else 0

    return f"{stem}{sequences.next_value(stem, start_after=highest_stored):05d}"


def _refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def inquiry_from_meeting(
    *,
    actor,
    meeting: Activity,
    subject: str,
    description: str = "",
    specialisation: Specialisation | None = None,
    court: str = "",
    case_reference: str = "",
    requested_deadline: date | None = None,
) -> Inquiry:
    """Turn a meeting that went well into an inquiry with its opportunity; start its case.

    The records are committed first, then the case starts in the engine's own
    transaction: a failed first step leaves the inquiry with a stopped case
    for an administrator, never a half-made inquiry.
    """
    with transaction.atomic():
        access.ensure_can_change(actor, meeting)
        meeting = Activity.objects.select_for_update().select_related("account").get(pk=meeting.pk)
        existing = Inquiry.objects.filter(meeting=meeting).first()
        if existing is not None:
            raise ApplicationError(
                _("This meeting already became inquiry %(number)s.") % {"number": existing.number}
            )
        # The salesperson records how the meeting went; making an inquiry never says it for them.
        refusal = selectors.why_no_inquiry(meeting)
        if refusal is not None:
            raise ApplicationError(refusal)
        if requested_deadline is not None and requested_deadline < _today():
            raise _refuse("requested_deadline", _("The requested deadline cannot be in the past."))
        if not subject.strip():
            raise _refuse("subject", _("Say what the opinion is about."))
        opportunity = meeting.opportunity
        if opportunity is None or not opportunity.is_open:
            opportunity = crm.opportunity_create(
                actor=actor,
                account=meeting.account,
                data={"name": subject[:200], "stage": Opportunity.Stage.NEEDS_ANALYSIS},
            )
        inquiry = records.record_create(
            Inquiry,
            actor=actor,
            data={
                "number": _next_number(),
                "account": meeting.account,
                "contact": meeting.contact,
                "meeting": meeting,
                "opportunity": opportunity,
                "subject": subject.strip()[:200],
                "description": description,
                "specialisation": specialisation,
                "court": court,
                "case_reference": case_reference,
                "requested_deadline": requested_deadline,
                "owner": actor,
            },
        )
    suggested = selectors.suggest_department(inquiry)
    case = engine.start_case_keeping_records(
        process=PROCESS,
        actor=actor,
        subject=inquiry,
        owner=actor,
        title=str(inquiry),
        data={
            "inquiry_id": inquiry.pk,
            "inquiry_number": inquiry.number,
            "client": meeting.account.name,
            "subject": inquiry.subject,
            "case_reference": case_reference,
            "requested_deadline": requested_deadline,
            "suggested_department": suggested.pk if suggested else None,
            # Filled in along the way; the model's expressions read them from the start.
            "department_head": "",
            "handler": "",
        },
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(case=case)
    inquiry.case = case
    return inquiry


MEETING_OUTCOMES = (Activity.Outcome.POSITIVE, Activity.Outcome.NEGATIVE)


@transaction.atomic
def meeting_record_outcome(*, actor, meeting: Activity, outcome: str) -> Activity:
    """Record that a meeting took place and whether it went well (positive) or not."""
    access.ensure_can_change(actor, meeting)
    meeting = Activity.objects.select_for_update().get(pk=meeting.pk)
    if meeting.kind != Activity.Kind.MEETING:
        raise ApplicationError(_("Only a meeting can become an inquiry."))
    if outcome not in MEETING_OUTCOMES:
        raise _refuse("outcome", _("Say whether the meeting went well."))
    if meeting.occurs_at > clock.now():
        raise ApplicationError(_("A meeting that has not taken place yet has no outcome."))
    if Inquiry.objects.filter(meeting=meeting).exists():
        raise ApplicationError(_("This meeting already became an inquiry."))
    return crm.activity_update(
        actor=actor, activity=meeting, data={"status": Activity.Status.DONE, "outcome": outcome}
    )


def complete_inquiry_task(
    *, actor, inquiry: Inquiry, element_id: str, data: dict[str, Any], revision: int | None = None
) -> WorkItem:
    """Complete the inquiry's open task `element_id` with the submitted form data."""
    item = selectors.open_item(inquiry, element_id)
    if item is None:
        raise ApplicationError(_("This step of the inquiry is not open any more."))
    return engine.complete(work_item=item, actor=actor, data=data, revision=revision)


def opinion_upload(*, actor, inquiry: Inquiry, file, comment: str = "") -> Document:
    """Store the expert's opinion as a report of the inquiry and complete the upload task.

    The file is kept even if completing the task is then refused: a second
    upload adds a version of the same document.
    """
    item = selectors.open_item(inquiry, "upload_opinion")
    if item is None:
        raise ApplicationError(_("The inquiry is not waiting for an opinion."))
    ensure_may_work_on(item, actor)
    with transaction.atomic():
        if inquiry.opinion_id:
            document = inquiry.opinion
            documents.document_add_version(
                actor=actor,
                document=document,
                file=file,
                comment=comment,
                accept=validators.OPINION,
            )
        else:
            document = documents.document_upload(
                actor=actor,
                title=f"Opinia {inquiry.number}"[:200],
                kind=Document.Kind.REPORT,
                file=file,
                account=inquiry.account,
                subject=inquiry,
                comment=comment,
                accept=validators.OPINION,
            )
            Inquiry.objects.filter(pk=inquiry.pk).update(opinion=document)
            inquiry.opinion = document
    engine.complete(work_item=item, actor=actor, data={"opinion_document": document.pk})
    return document


def client_answer_by_link(*, token: str, answer: str, note: str = "") -> Inquiry:
    """The client accepts or rejects the offer through the signed link in the e-mail."""
    from obieg.solutions.expert_opinions import links

    inquiry = links.inquiry_for_token(token)
    if answer not in ("accepted", "rejected"):
        raise _refuse("answer", _("Choose whether you accept the offer."))
    try:
        engine.send_message(
            name="client_answered",
            key=engine.subject_key(inquiry),
            payload={"client_answer": answer, "answer_note": note[:500], "answered_by_link": True},
        )
    except ApplicationError as error:
        if isinstance(error, engine.StepFailed):
            raise
        raise ApplicationError(_("This offer has already been answered; thank you.")) from error
    return inquiry


# The expert register


def _ensure_may_manage(actor) -> None:
    if not selectors.may_manage_experts(actor):
        raise PermissionDenied(
            _("The expert register is kept by the secretariat and the heads of departments.")
        )


@transaction.atomic
def expert_create(*, actor, data: dict[str, Any]) -> Expert:
    """Add an expert to the register, with the departments and specialisations they serve."""
    _ensure_may_manage(actor)
    many = {key: data.pop(key) for key in ("departments", "specialisations") if key in data}
    expert = records.record_create(Expert, actor=actor, data=data)
    for key, values in many.items():
        getattr(expert, key).set(values)
    return expert


@transaction.atomic
def expert_update(*, actor, expert: Expert, data: dict[str, Any], revision=None) -> Expert:
    """Change an expert's details, rate, availability or whether they are active."""
    _ensure_may_manage(actor)
    many = {key: data.pop(key) for key in ("departments", "specialisations") if key in data}
    expert = records.record_update(expert, actor=actor, data=data, revision=revision)
    for key, values in many.items():
        getattr(expert, key).set(values)
    return expert
