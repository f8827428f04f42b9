"""Staff pages of the PV solution: start a case from a lead, upload files to a project."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError
from obieg.core.prepared_widgets import RENDERER as PREPARED_WIDGETS
from obieg.crm.models import Lead
from obieg.documents import selectors as document_selectors
from obieg.documents import validators
from obieg.sales.models import Contract, Offer
from obieg.solutions.pv_installation import links, list_rows, services
from obieg.solutions.pv_installation.models import PVProject


@login_required
@require_POST
def start_from_lead(request, lead_id: int):
    lead = access.get_visible_or_404(Lead.objects.all(), request.user, pk=lead_id)
    try:
        project = services.project_start(actor=request.user, lead=lead)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(request.META.get("HTTP_REFERER") or "/")
    messages.success(request, _("The PV case has started."))
    return redirect("engine:case", project.case_id) if project.case_id else redirect("/")


# What each kind of project file may be, by its content.
UPLOAD_TYPES = {
    "photo": validators.PHOTO,
    "schematic": validators.PDF_OR_IMAGE,
    "signed_contract": validators.PDF_OR_IMAGE,
}


def _refuse_wrong_files(kind: str, files) -> None:
    """Every file is checked before any is stored: one wrong file stores none of them."""
    accept = UPLOAD_TYPES.get(kind)
    if accept is None:
        raise ApplicationError(_("Unknown file kind."))
    for file in files:
        try:
            accept(file)
        except forms.ValidationError as error:
            raise ApplicationError(f"{file.name}: {' '.join(error.messages)}") from error


@login_required
@require_POST
def project_upload(request, pk: int):
    """A schematic, photos (audit, installation) or the customer's signed contract scan."""
    project = _visible_project(request.user, pk)
    kind = request.POST.get("kind", "")
    files = request.FILES.getlist("file")
    try:
        if not files:
            raise ApplicationError(_("Choose a file."))
        _refuse_wrong_files(kind, files)
        for file in files:
            if kind == "signed_contract":
                services.contract_scan_upload(actor=request.user, project=project, file=file)
            else:
                services.project_file_upload(
                    actor=request.user,
                    project=project,
                    kind=kind,
                    file=file,
                    comment=request.POST.get("comment", ""),
                )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is stored."))
    return redirect(request.META.get("HTTP_REFERER") or "/")


def _visible_project(user, pk: int) -> PVProject:
    # The owner, their managers and whoever works on the project's case (AccessPaths).
    return access.get_visible_or_404(
        PVProject.objects.select_related(
            "account", "offer", "contract", "case", "advance_invoice", "final_invoice"
        ),
        user,
        pk=pk,
    )


@login_required
def project_detail(request, pk: int):
    """The project at a glance: offers (superseded ones too), contract, invoices, files."""
    project = _visible_project(request.user, pk)
    # A crew sees the job's papers; offers, invoices and the customer's link are the office's.
    reading = project.case_reading(request.user)
    documents = reading.documents(document_selectors.record_documents(request.user, project))
    if reading.document_kinds is not None:
        return render(request, "pv_installation/project.html", {
            "project": project, "documents": documents, "is_office": False,
        })  # fmt: skip
    offers = Offer.objects.none()
    if project.offer_id:
        offers = Offer.objects.filter(number=project.offer.number).order_by("-revision_number")
    link = ""
    if project.offer_id and project.offer.status == Offer.Status.SENT:
        link = links.customer_url(links.make_token(project.pk, "offer", project.offer_id))
    elif project.contract_id and project.contract.status == Contract.Status.SENT:
        link = links.customer_url(links.make_token(project.pk, "contract", project.contract_id))
    return render(request, "pv_installation/project.html", {
        "project": project, "offers": offers, "documents": documents, "customer_link": link,
        "invoices": [i for i in (project.advance_invoice, project.final_invoice) if i],
        "is_office": True,
    })  # fmt: skip


class NewLeadForm(forms.Form):
    # Drawn on every visit of the project list: its inputs written directly, not through
    # Django's widget templates (core/prepared_widgets.py, the same HTML).
    default_renderer = PREPARED_WIDGETS
    contact_name = forms.CharField(label=gettext_lazy("Name and surname"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    postal_code = forms.RegexField(label=gettext_lazy("Postal code"), regex=r"^\d{2}-\d{3}$")
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    # The street of the installation, which is the customer's address too.
    site_address = forms.CharField(label=gettext_lazy("Street and number"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What do you need?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return data


def _start_project(request, form: NewLeadForm):
    """The new lead's case started, and the way to its project; None to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        project = services.lead_start(actor=request.user, data=form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, _("The PV case has started."))
    return redirect("pv:project", project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new_lead(request):
    """A salesperson's new PV lead on a page of its own (the home page's "New lead")."""
    if not access.may_create(request.user):
        raise Http404
    form = NewLeadForm(request.POST or None)
    started = _start_project(request, form)
    return started or render(request, "pv_installation/lead_new.html", {"form": form})


@login_required
def project_list(request):
    """The PV projects the user may see, newest first, and a salesperson's new lead."""
    form = NewLeadForm(request.POST or None)
    started = _start_project(request, form)
    if started:
        return started
    projects = access.visible(
        PVProject.objects.select_related("account", "owner").order_by("-id"), request.user
    )
    return render(request, "pv_installation/project_list.html", {
        "rows": list_rows.prepare(projects[:100]), "form": form,
        "may_create": access.may_create(request.user),
    })  # fmt: skip
