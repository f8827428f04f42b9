"""The forms people fill in at each user task, registered with the engine by key.

The engine builds them with the case's data (`case_data=`, see
`engine.runtime.forms.build`), the inquiry page with `inquiry=`: either way
the form knows its inquiry, so it narrows choices (experts of the
department, available in time), fills in suggestions (the department) and
checks the submission against them on every page and in the API alike.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from obieg.core import clock
from obieg.core.inputs import DateInput
from obieg.core.models import Department
from obieg.core.money import VatRate, margin, to_grosz
from obieg.core.numbers import DecimalInputField
from obieg.documents.models import Document
from obieg.solutions.expert_opinions import selectors
from obieg.solutions.expert_opinions.models import Expert, Inquiry


def today():
    return timezone.localdate(clock.now())


class InquiryTaskForm(forms.Form):
    # The engine builds the form with the case's data (`case_data=`) on its task page and
    # when it checks a completion; the inquiry page passes the inquiry itself.
    uses_case_data = True

    def __init__(
        self, *args, inquiry: Inquiry | None = None, case_data: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if inquiry is None and case_data and case_data.get("inquiry_id"):
            inquiry = (
                Inquiry.objects.select_related("department")
                .filter(pk=case_data["inquiry_id"])
                .first()
            )
        self.inquiry = inquiry


class AssignDepartmentForm(InquiryTaskForm):
    department = forms.ModelChoiceField(
        queryset=selectors.expert_departments(), label=_("Department")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.inquiry is not None and "department" not in self.initial:
            suggested = selectors.suggest_department(self.inquiry)
            if suggested is not None:
                self.initial["department"] = suggested.pk

    def clean_department(self) -> Department:
        department = self.cleaned_data["department"]
        if department.head_id is None:
            raise forms.ValidationError(
                _("%(department)s has no head to approve its offers; set one first.")
                % {"department": department}
            )
        return department


class PrepareOfferForm(InquiryTaskForm):
    """The department's estimate: experts × hours × their rates plus other costs, and the price."""

    scope = forms.CharField(
        label=_("Scope of the opinion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What the experts will examine; it goes into the offer."),
    )
    experts = forms.ModelMultipleChoiceField(
        queryset=Expert.objects.filter(active=True),
        label=_("Experts"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Expert %(value)s does not serve this department's kinds of opinion or is not "
                "free before the requested deadline."
            )
        },
    )
    hours = DecimalInputField(
        label=_("Hours per expert"),
        required=False,
        min_value=Decimal("0"),
        max_digits=7,
        decimal_places=2,
    )
    other_costs = DecimalInputField(
        label=_("Other costs (net PLN)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Travel, laboratory tests, documents …"),
    )
    price = DecimalInputField(
        label=_("Price for the client (net PLN)"), max_digits=12, decimal_places=2
    )
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=VatRate.choices, initial=VatRate.R23)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inquiry = self.inquiry
        if inquiry is not None and inquiry.department_id:
            # Only experts of the department's specialisations, free before the deadline.
            self.fields["experts"].queryset = selectors.expert_candidates(
                department=inquiry.department, needed_by=inquiry.requested_deadline
            )

    def clean_price(self) -> Decimal:
        price = self.cleaned_data["price"]
        if price <= 0:
            raise forms.ValidationError(
                _("The price must be above zero: a margin cannot be computed without it.")
            )
        return price

    def clean(self):
        cleaned = super().clean()
        experts, hours = cleaned.get("experts"), cleaned.get("hours")
        if not hours:
            self.add_error(
                "hours", _("The cost is missing: enter how many hours each expert will work.")
            )
            return cleaned
        if not experts:
            return cleaned
        other = cleaned.get("other_costs") or Decimal("0")
        cost = to_grosz(sum((to_grosz(expert.hourly_rate * hours) for expert in experts), other))
        cleaned["other_costs"] = other
        cleaned["cost"] = cost
        if cleaned.get("price"):
            cleaned["margin"] = margin(cleaned["price"], cost)
        return cleaned


def _decision_choices(*choices):
    return forms.ChoiceField(label=_("Decision"), choices=choices, widget=forms.RadioSelect)


APPROVE = ("approve", _("Approve"))
RETURN = ("return", _("Return to the department"))
REJECT = ("reject", _("Reject"))


class HeadDecisionForm(InquiryTaskForm):
    head_decision = _decision_choices(APPROVE, RETURN)
    head_comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("head_decision") == "return" and not cleaned.get("head_comment"):
            self.add_error("head_comment", _("Say what the department should change."))
        return cleaned


class BoardDecisionForm(InquiryTaskForm):
    board_decision = _decision_choices(APPROVE, REJECT, RETURN)
    board_comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("board_decision") in ("reject", "return") and not cleaned.get(
            "board_comment"
        ):
            self.add_error("board_comment", _("Give the reason for the decision."))
        return cleaned


class ClientAnswerForm(InquiryTaskForm):
    client_answer = forms.ChoiceField(
        label=_("The client's answer"),
        choices=[("accepted", _("Accepted the offer")), ("rejected", _("Rejected the offer"))],
        widget=forms.RadioSelect,
    )
    answer_note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CommissionForm(InquiryTaskForm):
    opinion_due = forms.DateField(label=_("Opinion due"), widget=DateInput())
    later_than_requested = forms.BooleanField(
        label=_("The deadline is later than the client's requested date, and that is agreed"),
        required=False,
    )
    later_reason = forms.CharField(
        label=_("Why the later deadline"),
        required=False,
        max_length=500,
        help_text=_("Recorded with the inquiry, e.g. who at the client agreed and when."),
    )
    commission_note = forms.CharField(
        label=_("Instructions for the expert"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        requested = self.inquiry.requested_deadline if self.inquiry is not None else None
        if requested:
            self.initial.setdefault("opinion_due", requested)
            self.fields["later_than_requested"].label = _(
                "The deadline is later than the client's requested date (%(date)s), "
                "and that is agreed"
            ) % {"date": formats.date_format(requested, "SHORT_DATE_FORMAT")}

    def clean_opinion_due(self):
        due = self.cleaned_data["opinion_due"]
        if due < today():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return due

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("later_reason") or "").strip()
        cleaned["later_reason"] = reason
        if cleaned.get("later_than_requested") and not reason:
            self.add_error("later_reason", _("Say why the opinion may come later."))
        # The process checks the date against the client's (the commission step), so the
        # rule holds however the form was reached; here it is shown beside the field.
        requested = self.inquiry.requested_deadline if self.inquiry is not None else None
        due = cleaned.get("opinion_due")
        if requested and due and due > requested and not cleaned.get("later_than_requested"):
            self.add_error("opinion_due", later_than_requested_message(requested))
        return cleaned


def later_than_requested_message(requested) -> str:
    return _(
        "The client asked for the opinion by %(date)s. Choose that date or earlier, or tick "
        "that a later deadline is agreed and say why."
    ) % {"date": formats.date_format(requested, "SHORT_DATE_FORMAT")}


class ExtendDeadlineForm(CommissionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion_due"].label = _("New deadline")
        self.fields["commission_note"].label = _("What was agreed with the expert")
        self.fields["commission_note"].required = True


class OpinionUploadedForm(InquiryTaskForm):
    # A number, not a list of documents: the form has no inquiry to narrow a list to,
    # and a list would show other clients' files. The inquiry page fills it in.
    opinion_document = forms.IntegerField(
        label=_("Opinion document number"),
        help_text=_("Upload the opinion on the inquiry page; that completes this task."),
    )

    def clean_opinion_document(self) -> int:
        pk = self.cleaned_data["opinion_document"]
        if not Document.objects.filter(pk=pk, kind=Document.Kind.REPORT).exists():
            raise forms.ValidationError(_("There is no opinion document with this number."))
        return pk


class DeliverForm(InquiryTaskForm):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())
    delivery_method = forms.ChoiceField(
        label=_("Delivered by"),
        choices=[
            ("email", _("e-mail")),
            ("post", _("registered post")),
            ("court_portal", _("court information portal")),
            ("in_person", _("in person")),
        ],
    )
    delivery_note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_on", today())

    def clean_delivered_on(self):
        delivered = self.cleaned_data["delivered_on"]
        if delivered > today():
            raise forms.ValidationError(_("The delivery date cannot be in the future."))
        return delivered


FORMS: dict[str, type[forms.Form]] = {
    "expert_opinions.assign_department": AssignDepartmentForm,
    "expert_opinions.prepare_offer": PrepareOfferForm,
    "expert_opinions.head_decision": HeadDecisionForm,
    "expert_opinions.board_decision": BoardDecisionForm,
    "expert_opinions.client_answer": ClientAnswerForm,
    "expert_opinions.commission": CommissionForm,
    "expert_opinions.extend_deadline": ExtendDeadlineForm,
    "expert_opinions.opinion_uploaded": OpinionUploadedForm,
    "expert_opinions.deliver": DeliverForm,
}
