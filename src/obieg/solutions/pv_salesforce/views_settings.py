"""The manager's settings pages of the salespeople (instead of Administration).

Telephone salespeople: hours, working days, calls a day, minutes a call,
active. Field salespeople: home base, hours, working days, active. Both add
absences here; changing and removing one is views_absences.py. The forms
check what was posted (field errors, 400); manager_settings writes it,
conditionally (409 when the page was stale) and audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core import clock, roles
from obieg.core.errors import ApplicationError
from obieg.solutions.pv_salesforce import call_schedule, manager_settings, queue, views_absences
from obieg.solutions.pv_salesforce.manager_forms import (
    AbsenceForm,
    FieldDayForm,
    SellerDayForm,
    weekday_names,
)
from obieg.solutions.pv_salesforce.models_field import FieldDay
from obieg.solutions.pv_salesforce.models_queue import Absence


def _ensure_manager(user) -> None:
    if not queue.may_manage(user):
        raise Http404


_refused = views_absences.refused


# --- telephone salespeople --------------------------------------------------------------------


@login_required
@require_GET
def phone_list(request):
    """The telephone salespeople with their hours, capacity and coming absences."""
    _ensure_manager(request.user)
    today = clock.today()
    coming = Absence.objects.filter(ends_on__gte=today).order_by("starts_on")
    people = (
        call_schedule.phone_sellers()
        .select_related("seller_day")
        .prefetch_related(Prefetch("sales_absences", queryset=coming, to_attr="coming"))
    )
    rows = []
    for person in people:
        setting = call_schedule.setting_of(person)
        setting.weekday_names = weekday_names(setting.working_weekdays)
        rows.append((person, setting))
    return render(request, "pv_salesforce/manager/settings_phone.html", {"rows": rows})


def _phone_page(request, seller, *, day_form=None, absence_form=None, status: int = 200):
    setting = call_schedule.setting_of(seller)
    return render(
        request,
        "pv_salesforce/manager/seller.html",
        {
            "seller": seller,
            "day_form": day_form or SellerDayForm(instance=setting),
            "absence_form": absence_form or AbsenceForm(prefix="absence"),
            "absences": views_absences.recent(seller),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone_seller(request, user_id: int):
    """One telephone salesperson's working day and absences: change them, add an absence."""
    _ensure_manager(request.user)
    seller = manager_settings.phone_seller(user_id)
    if seller is None:
        raise Http404
    if request.method == "GET":
        return _phone_page(request, seller)
    here = reverse("salesforce:settings_phone_seller", args=[seller.pk])
    if request.POST.get("action") == "absence":
        form = AbsenceForm(request.POST, prefix="absence")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("starts_on", "ends_on", "note")}
            try:
                absence = manager_settings.absence_add(
                    actor=request.user, salesperson=seller, data=data
                )
            except ApplicationError as error:
                _refused(form, error)
                return _phone_page(request, seller, absence_form=form, status=error.status_code)
            messages.success(request, _("The absence has been added."))
            views_absences.warn_planned_work(request, absence)
            return redirect(here)
        return _phone_page(request, seller, absence_form=form, status=400)
    setting = call_schedule.setting_of(seller)
    form = SellerDayForm(request.POST, instance=setting)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in SellerDayForm.Meta.fields}
        try:
            manager_settings.seller_day_save(
                actor=request.user,
                salesperson=seller,
                data=data,
                revision=form.cleaned_data.get("revision"),
            )
        except ApplicationError as error:
            _refused(form, error)
            return _phone_page(request, seller, day_form=form, status=error.status_code)
        messages.success(request, _("The working day has been saved."))
        return redirect(here)
    return _phone_page(request, seller, day_form=form, status=400)


# --- field salespeople ------------------------------------------------------------------------


@login_required
@require_GET
def field_list(request):
    """The field salespeople: home base, hours, working days, active, coming absences."""
    _ensure_manager(request.user)
    today = clock.today()
    coming = Absence.objects.filter(ends_on__gte=today).order_by("starts_on")
    people = (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .filter(Q(groups__name=roles.FIELD_SALES) | Q(field_day__isnull=False))
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .select_related("field_day")
        .prefetch_related(Prefetch("sales_absences", queryset=coming, to_attr="coming"))
    )
    rows = []
    for person in people:
        field_day = getattr(person, "field_day", None)
        if field_day is not None:
            field_day.weekday_names = weekday_names(field_day.working_weekdays)
        rows.append((person, field_day))
    return render(request, "pv_salesforce/manager/settings_field.html", {"rows": rows})


def _field_user(user_id: int):
    user = manager_settings.field_seller(user_id)
    if user is None:
        # Settings made for someone who no longer has the role stay editable.
        user = get_user_model()._default_manager.filter(pk=user_id, field_day__isnull=False).first()
    if user is None:
        raise Http404
    return user


def _field_page(request, user, *, day_form=None, absence_form=None, status: int = 200):
    field_day = FieldDay.objects.filter(user=user).first()
    return render(
        request,
        "pv_salesforce/manager/field_person.html",
        {
            "person": user,
            "field_day": field_day,
            "day_form": day_form or FieldDayForm(instance=field_day or FieldDay(user=user)),
            "absence_form": absence_form or AbsenceForm(prefix="absence"),
            "absences": views_absences.recent(user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def field_person(request, user_id: int):
    """One field salesperson's settings and absences: change them, add an absence."""
    _ensure_manager(request.user)
    user = _field_user(user_id)
    if request.method == "GET":
        return _field_page(request, user)
    here = reverse("salesforce:settings_field_person", args=[user.pk])
    field_day = FieldDay.objects.filter(user=user).first()
    if request.POST.get("action") == "absence":
        form = AbsenceForm(request.POST, prefix="absence")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("starts_on", "ends_on", "note")}
            try:
                absence = manager_settings.absence_add(
                    actor=request.user, salesperson=user, data=data
                )
            except ApplicationError as error:
                _refused(form, error)
                return _field_page(request, user, absence_form=form, status=error.status_code)
            messages.success(request, _("The absence has been added."))
            views_absences.warn_planned_work(request, absence)
            return redirect(here)
        return _field_page(request, user, absence_form=form, status=400)
    form = FieldDayForm(request.POST, instance=field_day or FieldDay(user=user))
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in FieldDayForm.Meta.fields}
        try:
            manager_settings.field_day_save(
                actor=request.user,
                user=user,
                data=data,
                revision=form.cleaned_data.get("revision"),
            )
        except ApplicationError as error:
            _refused(form, error)
            return _field_page(request, user, day_form=form, status=error.status_code)
        messages.success(request, _("The working day has been saved."))
        return redirect(here)
    return _field_page(request, user, day_form=form, status=400)
