"""The administrator's pages: the custom fields of each record type, new, edit, deactivate."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import PermissionDenied
from obieg.customfields import selectors, services
from obieg.customfields.forms import FieldDefinitionForm
from obieg.customfields.models import RecordType
from obieg.web.views.common import refuse, submit_posted

# The model holding each record type's values (read only to count them).
RECORD_MODELS = {
    RecordType.ACCOUNT: "crm.Account",
    RecordType.CONTACT: "crm.ContactPerson",
    RecordType.LEAD: "crm.Lead",
    RecordType.OPPORTUNITY: "crm.Opportunity",
}


def _refusal(request) -> HttpResponse | None:
    if access.is_admin(request.user):
        return None
    return refuse(
        request,
        _("Only an administrator defines custom fields."),
        status=PermissionDenied.status_code,
    )


@login_required
@require_GET
def field_list(request):
    if refusal := _refusal(request):
        return refusal
    fields = list(selectors.all_fields())
    groups = [
        (value, label, [field for field in fields if field.record_type == value])
        for value, label in RecordType.choices
    ]
    return render(request, "customfields/field_list.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def field_create(request):
    if refusal := _refusal(request):
        return refusal
    initial = {"record_type": request.GET.get("record_type", RecordType.ACCOUNT)}
    form = FieldDefinitionForm(request.POST or None, initial=initial)
    field, status = submit_posted(
        request, form, lambda data, _revision: services.field_create(actor=request.user, data=data)
    )
    if field:
        messages.success(request, _("Field %(label)s added.") % {"label": field.label})
        return redirect("customfields:field_list")
    return render(request, "customfields/field_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def field_edit(request, pk):
    if refusal := _refusal(request):
        return refusal
    field = selectors.field_get(pk)
    form = FieldDefinitionForm(request.POST or None, instance=selectors.field_get(pk))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.field_update(
            actor=request.user, field=field, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Changes saved."))
        return redirect("customfields:field_list")
    retired = [choice for choice in field.choices if choice.get("retired")]
    context = {"form": form, "field": field, "retired_choices": retired}
    return render(request, "customfields/field_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def field_deactivate(request, pk):
    """Ask first (saying how many records hold a value), then hide the field; values stay."""
    if refusal := _refusal(request):
        return refusal
    field = selectors.field_get(pk)
    if request.method == "POST":
        services.field_set_active(actor=request.user, field=field, active=False)
        messages.success(
            request,
            _("Field %(label)s deactivated; the values stay stored.") % {"label": field.label},
        )
        return redirect("customfields:field_list")
    model = apps.get_model(RECORD_MODELS[field.record_type])
    holding = model._default_manager.filter(custom__has_key=field.key).count()
    return render(
        request, "customfields/field_deactivate.html", {"field": field, "holding": holding}
    )


@login_required
@require_POST
def field_activate(request, pk):
    if refusal := _refusal(request):
        return refusal
    field = selectors.field_get(pk)
    services.field_set_active(actor=request.user, field=field, active=True)
    messages.success(request, _("Field %(label)s is active again.") % {"label": field.label})
    return redirect("customfields:field_list")
