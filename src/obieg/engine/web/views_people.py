"""Administrators' pages: the unassigned work queue, and the names models use for people."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import Department
from obieg.engine import labels, unassigned
from obieg.engine.models import NameMapping, WorkItem
from obieg.engine.runtime import services as engine
from obieg.web.views.common import refuse

USER_CHOICES_LIMIT = 500


def _refuse(request):
    return refuse(
        request,
        _("Only administrators manage unassigned work and the names in models."),
        status=PermissionDenied.status_code,
        back_url=reverse("engine:inbox"),
    )


def _people():
    users = get_user_model().objects.filter(is_active=True)
    return users.order_by("first_name", "last_name", "username")[:USER_CHOICES_LIMIT]


@login_required
@require_http_methods(["GET"])
def unassigned_work(request):
    if not access.is_admin(request.user):
        return _refuse(request)
    items = list(unassigned.unassigned_items()[: unassigned.LIMIT])
    return render(request, "engine/unassigned.html", {"items": items, "people": _people()})


@login_required
@require_POST
def unassigned_assign(request, pk):
    """Hand an unassigned task to a person (recorded as a hand-over)."""
    if not access.is_admin(request.user):
        return _refuse(request)
    item = WorkItem.objects.filter(pk=pk).first()
    value = request.POST.get("to", "")
    person = (
        get_user_model().objects.filter(pk=int(value)).first()
        if value.isdigit() and len(value) < 19
        else None
    )
    if item is None or person is None:
        messages.error(request, _("Choose a task and a person."))
        return redirect("engine:unassigned")
    try:
        engine.reassign(work_item=item, actor=request.user, to=person)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(task)s is now %(person)s's.")
            % {"task": labels.item_label(item), "person": person},
        )
    return redirect("engine:unassigned")


class NameMappingForm(forms.ModelForm):
    role = forms.ModelChoiceField(
        Group.objects.order_by("name"), required=False, label=gettext_lazy("Role")
    )
    department = forms.ModelChoiceField(
        Department.objects.order_by("name"), required=False, label=gettext_lazy("Department")
    )

    class Meta:
        model = NameMapping
        fields = ["name", "role", "department", "user"]
        help_texts = {
            "name": gettext_lazy("As written in models, e.g. a Camunda candidate group."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = get_user_model().objects.filter(is_active=True).order_by("username")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if NameMapping.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This name is already mapped."))
        return name

    def clean(self):
        cleaned = super().clean()
        chosen = [key for key in ("role", "department", "user") if cleaned.get(key)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one: a role, a department or a user."))
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def name_mappings(request):
    if not access.is_admin(request.user):
        return _refuse(request)
    form = NameMappingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            mapping = form.save(commit=False)
            mapping.updated_at = timezone.now()
            mapping.save()
            messages.success(request, _("%(name)s is mapped.") % {"name": mapping.name})
            return redirect("engine:name_mappings")
        status = 400
    mappings = NameMapping.objects.select_related("role", "department", "user").order_by("name")
    context = {"form": form, "mappings": mappings[:1000]}
    return render(request, "engine/name_mappings.html", context, status=status)


@login_required
@require_POST
def name_mapping_delete(request, pk):
    if not access.is_admin(request.user):
        return _refuse(request)
    NameMapping.objects.filter(pk=pk).delete()
    messages.success(request, _("The mapping is removed."))
    return redirect("engine:name_mappings")
