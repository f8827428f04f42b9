"""Forms of the grant project's user tasks, registered with the engine by key.

Each form is built with the case's data (`uses_case_data`), so it knows its
project: it checks dates and amounts against it (an awarded grant above the
requested one, a signed scan of another client) on the task page and in the
API alike. The services re-check what could change between page and save.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core import clock
from obieg.core.inputs import DateInput, OwnIds
from obieg.core.numbers import DecimalInputField
from obieg.documents import validators
from obieg.documents.models import Document
from obieg.solutions.grants.models import GrantProject

DATE = DateInput()


def _not_future(day):
    if day and day > clock.today():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class ProjectTaskForm(forms.Form):
    uses_case_data = True

    def __init__(self, *args, case_data: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = None
        if case_data and case_data.get("project_id"):
            self.project = (
                GrantProject.objects.select_related("application", "contract", "account")
                .filter(pk=case_data["project_id"])
                .first()
            )


class ContractTermsForm(forms.Form):
    """The contract's fixed remuneration and dates (the schedule page and the task alike)."""

    fixed_remuneration = DecimalInputField(
        label=_("Fixed remuneration (net, PLN)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    contract_starts_on = forms.DateField(label=_("Contract starts on"), widget=DATE)
    contract_ends_on = forms.DateField(label=_("Contract ends on"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("contract_starts_on"), cleaned.get("contract_ends_on")
        if starts and ends and ends < starts:
            self.add_error("contract_ends_on", _("The contract cannot end before it starts."))
        return cleaned


def terms_initial(project: GrantProject | None) -> dict:
    """What the contract says now, to edit (today as the start of a new one)."""
    from obieg.solutions.grants import schedule

    contract = project.contract if project else None
    if contract is None or not contract.starts_on:
        return {"contract_starts_on": clock.today()}
    return {
        "fixed_remuneration": schedule.value_of(project).fixed_net,
        "contract_starts_on": contract.starts_on,
        "contract_ends_on": contract.ends_on,
    }


class PrepareContractForm(ProjectTaskForm, ContractTermsForm):
    brief_template = "grants/contract/_prepare_brief.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in terms_initial(self.project).items():
            self.initial.setdefault(name, value)

    def brief(self) -> dict:
        from obieg.solutions.grants import schedule

        if self.project is None:
            return {}
        return {"project": self.project, "items": list(schedule.items(self.project))}


class ApproveContractForm(ProjectTaskForm):
    brief_template = "grants/contract/_approve_brief.html"

    contract_decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("approve the contract")), ("return", _("return for changes"))],
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(
        label=_("Note for the advisor"), required=False, max_length=1000, widget=forms.Textarea
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contract_decision") == "return" and not cleaned.get("decision_note"):
            self.add_error("decision_note", _("Say what should change."))
        return cleaned

    brief = PrepareContractForm.brief


class SignedScanForm(ProjectTaskForm):
    brief_template = "grants/contract/_scan_brief.html"

    signed_scan_document = forms.IntegerField(
        label=_("Signed contract document number"),
        help_text=_("Upload the signed scan with the link above; that completes this task."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)

    def clean_signed_scan_document(self) -> int:
        pk = self.cleaned_data["signed_scan_document"]
        documents = Document.objects.filter(pk=pk, kind=Document.Kind.CONTRACT)
        if self.project is not None:
            documents = documents.filter(account_id=self.project.account_id)
        if not documents.exists():
            raise forms.ValidationError(_("There is no signed contract with this number."))
        return pk

    def clean_signed_on(self):
        return _not_future(self.cleaned_data["signed_on"])

    def brief(self) -> dict:
        initial = {"signed_on": clock.today()}
        return {"project": self.project, "scan_form": ScanUploadForm(initial=initial)}


class SubmitApplicationForm(ProjectTaskForm):
    application_number = forms.CharField(label=_("Application number"), max_length=60)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)

    def clean_submitted_on(self):
        return _not_future(self.cleaned_data["submitted_on"])


class EvaluationForm(ProjectTaskForm):
    evaluation = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("under_evaluation", _("under evaluation")),
            ("approved", _("approved")),
            ("rejected", _("rejected")),
        ],
        widget=forms.RadioSelect,
    )
    awarded_amount = DecimalInputField(
        label=_("Awarded grant (PLN)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    decided_on = forms.DateField(label=_("Date"), widget=DATE)

    def clean_decided_on(self):
        return _not_future(self.cleaned_data["decided_on"])

    def clean(self):
        cleaned = super().clean()
        awarded = cleaned.get("awarded_amount")
        if cleaned.get("evaluation") == "approved":
            if awarded is None:
                self.add_error("awarded_amount", _("Enter the awarded grant."))
            elif self.project is not None and awarded > self.project.application.requested_amount:
                self.add_error(
                    "awarded_amount",
                    _("The awarded grant cannot exceed the requested %(amount)s zł.")
                    % {"amount": self.project.application.requested_amount},
                )
        return cleaned


class GrantAgreementForm(ProjectTaskForm):
    agreement_signed_on = forms.DateField(label=_("Grant agreement signed on"), widget=DATE)
    grant_received_on = forms.DateField(label=_("Grant received on"), widget=DATE)
    realisation_starts_on = forms.DateField(label=_("Realisation starts on"), widget=DATE)
    realisation_ends_on = forms.DateField(label=_("Realisation ends on"), widget=DATE)
    advance_amount = DecimalInputField(
        label=_("Advance claimed (PLN)"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        initial=Decimal(0),
    )
    interim_months = forms.IntegerField(
        label=_("Interim claim every (months)"), min_value=1, max_value=24, initial=3
    )
    days_to_file = forms.IntegerField(
        label=_("Days to file a claim after its period"), min_value=1, max_value=120, initial=30
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("realisation_starts_on"), cleaned.get("realisation_ends_on")
        if starts and ends and ends < starts:
            self.add_error("realisation_ends_on", _("The realisation cannot end before it starts."))
        return cleaned


class FinalPaymentForm(ProjectTaskForm):
    final_payment_on = forms.DateField(label=_("Final payment received on"), widget=DATE)

    def clean_final_payment_on(self):
        return _not_future(self.cleaned_data["final_payment_on"])


# --- page forms (not task forms) ------------------------------------------------------------


class ProjectStartForm(forms.Form):
    """What the advisor knows when the realisation starts (services.project_start checks again)."""

    title = forms.CharField(label=_("Project title"), max_length=200)
    programme = forms.CharField(label=_("Programme"), max_length=200)
    call = forms.CharField(label=_("Call for proposals (nabór)"), max_length=200)
    requested_amount = DecimalInputField(
        label=_("Requested grant (PLN)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    co_financing_rate = DecimalInputField(
        label=_("Co-financing rate (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    coordinator = forms.ModelChoiceField(queryset=None, label=_("Project coordinator"))
    success_fee_percent = DecimalInputField(
        label=_("Success fee (per cent of the awarded grant)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(0),
    )
    durability_years = forms.TypedChoiceField(
        label=_("Durability period"),
        choices=GrantProject.DurabilityYears.choices,
        coerce=int,
        initial=GrantProject.DurabilityYears.FIVE,
    )

    def __init__(self, *args, **kwargs):
        from obieg.solutions.grants.services import coordinators

        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators().order_by("last_name", "username")


class FixedFeeForm(forms.Form):
    due_date = forms.DateField(label=_("Due on"), widget=DATE)
    amount = DecimalInputField(
        label=_("Amount (gross, PLN)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    description = forms.CharField(label=_("Title"), max_length=150, required=False)


class InstalmentsForm(forms.Form):
    total = DecimalInputField(
        label=_("Total (gross, PLN)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    count = forms.IntegerField(label=_("Number of monthly instalments"), min_value=1, max_value=120)
    first_due = forms.DateField(label=_("First instalment due on"), widget=DATE)


class ScanUploadForm(OwnIds, forms.Form):
    # Drawn beside the signed-scan task form, which has a field of the same name.
    ids = "scan"

    file = forms.FileField(
        label=_("The signed contract (PDF or a scan)"),
        validators=[validators.PDF_OR_IMAGE],
        widget=forms.ClearableFileInput(attrs={"accept": validators.PDF_OR_IMAGE.accept}),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)

    def clean_signed_on(self):
        return _not_future(self.cleaned_data["signed_on"])


class ContractAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the contract and accept it on behalf of the client"), required=True
    )


FORMS: dict[str, type[forms.Form]] = {
    "grants.prepare_contract": PrepareContractForm,
    "grants.approve_contract": ApproveContractForm,
    "grants.signed_scan": SignedScanForm,
    "grants.submit_application": SubmitApplicationForm,
    "grants.evaluation": EvaluationForm,
    "grants.grant_agreement": GrantAgreementForm,
    "grants.final_payment": FinalPaymentForm,
}
