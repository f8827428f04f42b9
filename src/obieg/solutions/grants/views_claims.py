"""Pages of payment claims: a claim with its expenses, import, documents, submit and settle.

Thin views: the rules live in `claims`, `claim_import` and `claim_documents`.
A claim is shown to whoever sees its project (404 otherwise); the buttons
only to those who may change its claims (`permissions.may_work_on`), and the
services check that again on every write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access, clock
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.inputs import DateInput
from obieg.core.numbers import DecimalInputField
from obieg.solutions.grants import claim_documents, claim_import, claims, permissions
from obieg.solutions.grants.models import EligibleExpense, GrantProject, PaymentClaim

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class ExpenseForm(forms.Form):
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=100)
    supplier = forms.CharField(label=gettext_lazy("Supplier"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300)
    category = forms.CharField(label=gettext_lazy("Category"), max_length=100, required=False)
    issued_on = forms.DateField(label=gettext_lazy("Issued on"), widget=DateInput())
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DateInput())
    net = DecimalInputField(label=gettext_lazy("Net (PLN)"), **MONEY)
    gross = DecimalInputField(label=gettext_lazy("Gross (PLN)"), **MONEY)
    eligible = DecimalInputField(label=gettext_lazy("Eligible amount (PLN)"), **MONEY)


class DayForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())


def _visible_claim(user, pk: int) -> PaymentClaim:
    """The claim, if its project is visible to `user` (404 otherwise, as for a missing one)."""
    claim = get_object_or_404(PaymentClaim, pk=pk)
    claim.project = access.get_visible_or_404(
        GrantProject.objects.select_related("account", "application"), user, pk=claim.project_id
    )
    return claim


def _visible_expense(user, pk: int) -> EligibleExpense:
    expense = get_object_or_404(EligibleExpense, pk=pk)
    expense.claim = _visible_claim(user, expense.claim_id)
    return expense


def _project_url(project: GrantProject) -> str:
    try:
        return project.get_absolute_url()
    except NoReverseMatch:  # the project pages are not installed: no link
        return ""


def _apply_errors(form: forms.Form, error: ApplicationError) -> None:
    for name, messages_ in error.field_errors.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)


def _detail(request, claim: PaymentClaim, *, form=None, import_errors=None, status=200):
    project = claim.project
    rows = claims.project_claims(project)
    context = {
        "claim": claim,
        "project": project,
        "project_url": _project_url(project),
        "application": project.application,
        "expenses": list(claim.expenses.all()),
        "totals": claims.claim_totals(claim),
        "cumulative": claims.cumulative_claimed(project),
        "can_change": permissions.may_work_on(request.user, project),
        "is_planned": claim.status == PaymentClaim.Status.PLANNED,
        "takes_expenses": claim.status == PaymentClaim.Status.PLANNED
        and claim.kind != PaymentClaim.Kind.ADVANCE,
        "form": form or ExpenseForm(initial={"paid_on": claim.period_from}),
        "day_form": DayForm(initial={"on": clock.today()}),
        "import_errors": import_errors,
        "max_rows": claim_import.MAX_ROWS,
        "others": [(c, amount) for c, amount in rows if c.pk != claim.pk],
    }
    return render(request, "grants/claims/claim.html", context, status=status)


@login_required
def claim_detail(request, pk: int):
    """A claim: its sums, its expenses and what may be done with it now."""
    return _detail(request, _visible_claim(request.user, pk))


def _refused(request, claim, error: ApplicationError):
    if isinstance(error, PermissionDenied):
        messages.error(request, error.message)
        return redirect("grants:claim", claim.pk)
    return None


@login_required
@require_POST
def expense_add(request, pk: int):
    claim = _visible_claim(request.user, pk)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        try:
            claims.expense_add(actor=request.user, claim=claim, data=form.cleaned_data)
        except ApplicationError as error:
            if refused := _refused(request, claim, error):
                return refused
            _apply_errors(form, error)
        else:
            messages.success(request, _("The expense is added."))
            return redirect("grants:claim", claim.pk)
    return _detail(request, claim, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request, pk: int):
    expense = _visible_expense(request.user, pk)
    claim = expense.claim
    if request.method == "POST":
        form = ExpenseForm(request.POST)
        if form.is_valid():
            try:
                claims.expense_change(actor=request.user, expense=expense, data=form.cleaned_data)
            except ApplicationError as error:
                if refused := _refused(request, claim, error):
                    return refused
                _apply_errors(form, error)
            else:
                messages.success(request, _("The expense is changed."))
                return redirect("grants:claim", claim.pk)
        status = 400
    else:
        form = ExpenseForm(
            initial={name: getattr(expense, name) for name in ExpenseForm.base_fields}
        )
        status = 200
    return render(
        request,
        "grants/claims/expense_form.html",
        {"form": form, "expense": expense, "claim": claim},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expense_remove(request, pk: int):
    """Removing an expense asks for confirmation first."""
    expense = _visible_expense(request.user, pk)
    claim = expense.claim
    if request.method == "POST":
        try:
            claims.expense_remove(actor=request.user, expense=expense)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The expense is removed."))
        return redirect("grants:claim", claim.pk)
    return render(
        request, "grants/claims/expense_remove.html", {"expense": expense, "claim": claim}
    )


def _readable(key: str) -> str:
    """'row 7: paid_on' → 'row 7: paid on' in the reader's language (the key stays for the API)."""
    head, _sep, field = key.rpartition(": ")
    if field in claims.EXPENSE_FIELDS:
        label = str(EligibleExpense._meta.get_field(field).verbose_name)
        return f"{head}: {label}" if head else label
    return key


@login_required
@require_POST
def claim_import_file(request, pk: int):
    """An expense list (CSV or XLSX): all its rows are added, or none with each row's error."""
    claim = _visible_claim(request.user, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            message = _("Choose a file.")
            raise ApplicationError(message, field_errors={"file": [message]})
        claim_import.ensure_size(upload.size)  # before reading a huge upload into memory
        count = claim_import.import_expenses(
            actor=request.user, claim=claim, content=upload.read(), name=upload.name
        )
    except ApplicationError as error:
        if refused := _refused(request, claim, error):
            return refused
        errors = [f"{_readable(name)}: {' '.join(m)}" for name, m in error.field_errors.items()]
        return _detail(request, claim, import_errors=errors or [error.message], status=400)
    messages.success(
        request,
        ngettext("%(count)s expense is imported.", "%(count)s expenses are imported.", count)
        % {"count": count},
    )
    return redirect("grants:claim", claim.pk)


def _action(request, pk: int, run, done: str):
    claim = _visible_claim(request.user, pk)
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("grants:claim", claim.pk)
    try:
        run(actor=request.user, claim=claim, on=form.cleaned_data["on"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("grants:claim", claim.pk)


@login_required
@require_POST
def claim_submit(request, pk: int):
    return _action(request, pk, claims.claim_submit, _("The claim is marked as submitted."))


@login_required
@require_POST
def claim_settle(request, pk: int):
    return _action(request, pk, claims.claim_settle, _("The claim is marked as settled."))


@login_required
@require_POST
def claim_generate(request, pk: int):
    """Draw the claim's PDF and DOCX (a new version of each when they exist)."""
    claim = _visible_claim(request.user, pk)
    try:
        claim_documents.generate(actor=request.user, claim=claim)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The claim's PDF and DOCX are ready."))
    return redirect("grants:claim", claim.pk)


def section_context(request, project: GrantProject) -> dict:
    """The claims block of the project page (the page includes `_section.html` with it)."""
    try:
        awarded = project.application.awarded_amount
    except GrantProject.application.RelatedObjectDoesNotExist:
        return {"rows": [], "cumulative": None, "awarded": None, "can_change": False}
    return {
        "rows": [
            {"claim": claim, "amount": amount, "url": reverse("grants:claim", args=[claim.pk])}
            for claim, amount in claims.project_claims(project)
        ],
        "cumulative": claims.cumulative_claimed(project),
        "awarded": awarded,
        "can_change": permissions.may_work_on(request.user, project),
    }
