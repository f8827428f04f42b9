"""The forms the work pages show: a task's registered form (or a comment), reassign, cancel."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from obieg.core.models import User
from obieg.engine import registry
from obieg.engine.models import WorkItem
from obieg.engine.runtime.forms import build

# Fields the page adds around a solution's form; they are not task data.
_PAGE_FIELDS = ("csrfmiddlewaretoken", "revision")


class CommentForm(forms.Form):
    """What a plain task (an approval, a check) asks when no solution registered a form."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def task_form(item: WorkItem, data: QueryDict | None = None, *, case=None) -> forms.Form:
    """The form for `item`: the one its form key names (registered or a schema), else a comment."""
    form_class = registry.form_for(item.form_key, case=case or item.case) if item.form_key else None
    return build(form_class or CommentForm, case=case, data=data)


def task_data(form: forms.Form, posted: QueryDict) -> dict[str, Any] | QueryDict:
    """What goes to `engine.complete`, which checks it with the registered form again.

    A registered form gets the posted values as they came (the service's own
    validation turns them into typed case data); a plain task only its comment.
    """
    if isinstance(form, CommentForm):
        comment = form.cleaned_data["comment"].strip()
        return {"comment": comment} if comment else {}
    data = posted.copy()
    for name in _PAGE_FIELDS:
        data.pop(name, None)
    return data


def posted_revision(posted: QueryDict) -> int:
    """The item revision the form was rendered at; a missing or forged one counts as stale."""
    value = posted.get("revision", "")
    return int(value) if value.isdigit() and len(value) < 10 else -1


class ReassignForm(forms.Form):
    to: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, label=_("Hand over to"), empty_label=None
    )

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people the team page listed for this task can be chosen.
        user_model = get_user_model()
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = user_model.objects.filter(
            pk__in=[user.pk for user in candidates]
        ).order_by("first_name", "last_name", "username")


class CancelCaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the case history; the open tasks disappear from inboxes."),
    )
