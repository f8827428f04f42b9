"""Contact persons of an account: add, edit, delete."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from obieg.core.errors import ApplicationError
from obieg.crm import services
from obieg.crm.models import ContactPerson
from obieg.crm.selectors.accounts import account_get, contact_get
from obieg.crm.selectors.duplicates import contact_duplicates
from obieg.web.duplicates import duplicates_to_confirm
from obieg.web.forms.contacts import ContactForm
from obieg.web.views.common import refuse, refuse_unless_can_change, submit_posted


def _back(account_pk: int) -> str:
    return reverse("account_detail", args=[account_pk]) + "#contacts"


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    account = account_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, account):
        return refusal
    form = ContactForm(request.POST or None, instance=ContactPerson(account=account))
    duplicates = duplicates_to_confirm(
        request, form, lambda data: contact_duplicates(request.user, account, data)
    )
    contact, status = (None, 200)
    if not duplicates:
        contact, status = submit_posted(
            request,
            form,
            lambda data, _revision: services.contact_create(
                actor=request.user, account=account, data=data
            ),
        )
    if contact:
        messages.success(request, _("Contact person %(name)s added.") % {"name": contact})
        return redirect(_back(account.pk))
    return render(
        request,
        "web/contacts/form.html",
        {
            "form": form,
            "account": account,
            "cancel_url": _back(account.pk),
            "duplicates": duplicates,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = contact_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, contact):
        return refusal
    form = ContactForm(request.POST or None, instance=copy(contact))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.contact_update(
            actor=request.user, contact=contact, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Changes saved."))
        return redirect(_back(contact.account_id))
    return render(
        request,
        "web/contacts/form.html",
        {
            "form": form,
            "account": contact.account,
            "contact": contact,
            "cancel_url": _back(contact.account_id),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    contact = contact_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, contact):
        return refusal
    if request.method == "POST":
        try:
            services.contact_delete(actor=request.user, contact=contact)
        except ApplicationError as error:
            return refuse(request, error.message, status=error.status_code)
        messages.success(request, _("Contact person %(name)s deleted.") % {"name": contact})
        return redirect(_back(contact.account_id))
    return render(
        request,
        "web/includes/confirm_delete.html",
        {"object": contact, "cancel_url": _back(contact.account_id)},
    )
