"""What every importable record type does the same way.

A row is checked by the very form its record's page uses (so NIP, REGON,
PESEL, e-mail and phone are judged exactly as there) and written by the
service behind that page (so access rules, audit entries and revision
checks apply as they do for a person typing the record in). A type says
only which form and service, how a row finds an existing record, and what
its export writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core import access
from obieg.dataio import cells
from obieg.dataio.columns import BOOLEAN, Column, Mapping
from obieg.dataio.types.custom import custom_changed, custom_columns

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
# Rows are matched to records with a few queries per file, in chunks the databases take.
_CHUNK = 500
MAX_ID = 2**63 - 1  # the largest BigAutoField value; past it PostgreSQL refuses the query


@dataclass
class RowCheck:
    """What one row would do: create, update (which fields), nothing, or why not."""

    line: int
    action: str = CREATE
    label: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    changes: list[str] = field(default_factory=list)  # headers of the changed columns
    instance: Any = None  # the record it updates
    parent: Any = None  # the account a contact or opportunity belongs to
    data: dict[str, Any] = field(default_factory=dict)  # the form's cleaned values
    # The same record twice in one file: the second row is refused (its key).
    identity: tuple | None = None

    def error(self, header: str, message: str) -> None:
        self.errors.append((header, str(message)))
        self.action = ERROR

    def stored(self) -> dict[str, Any]:
        """What the preview keeps of the check (JSON)."""
        return {
            "line": self.line,
            "action": self.action,
            "label": self.label,
            "pk": self.instance.pk if self.instance is not None else None,
            "revision": getattr(self.instance, "revision", None),
            "changes": self.changes,
            "errors": [list(error) for error in self.errors],
        }


def record_id(text: str) -> int | None:
    """The id a cell names, or None: a number past the largest key is no id at all."""
    return int(text) if text.isdigit() and int(text) <= MAX_ID else None


def chunks(values: Iterable, size: int = _CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def visible_by(queryset: models.QuerySet, user, field_name: str, values: Iterable) -> list:
    """The records of `queryset` visible to `user` whose `field_name` is among `values`."""
    found = []
    for part in chunks(set(values) - {None}):
        found.extend(access.visible(queryset.filter(**{f"{field_name}__in": part}), user))
    return found


def changeable_pks(model: type[models.Model], user, pks: Iterable) -> set:
    found = set()
    for part in chunks(set(pks)):
        rows = access.changeable(model._default_manager.filter(pk__in=part), user)
        found.update(rows.values_list("pk", flat=True))
    return found


def _changed_fields(before, after, names) -> list[str]:
    """The fields whose stored value would change: compared as the model keeps them
    (a NIP typed "PL 526-000-12-46" is the same as the stored "5260001246")."""
    changed = []
    for name in names:
        try:
            attname = before._meta.get_field(name).attname
        except Exception:  # a form-only field (revision, a custom field's input)
            if custom_changed(before, after, name):
                changed.append(name)
            continue
        if getattr(before, attname) != getattr(after, attname):
            changed.append(name)
    return changed


class People:
    """Whom the importer may name in the owner column (as a record's page lets them choose)."""

    def __init__(self, user):
        from obieg.web.forms.accounts import owner_choices

        self.user = user
        choices = owner_choices(user)
        self.may_assign = choices is not None
        people = list(choices) if choices is not None else [user]
        by_email: dict[str, list] = {}
        for person in people:
            if person.email:
                by_email.setdefault(person.email.casefold(), []).append(person)
        # A login names one person; an e-mail only when no one else has it.
        self._names = {email: found[0] for email, found in by_email.items() if len(found) == 1}
        self._names.update({person.username.casefold(): person for person in people})

    def find(self, text: str):
        """(the person `text` names, or None; the message when they cannot be named)."""
        person = self._names.get(text.casefold())
        if person is not None:
            return person, ""
        if not self.may_assign:
            return None, _("You import records as their owner; leave this column empty.")
        return None, _("No one you may assign records to has the login or e-mail “%(name)s”.") % {
            "name": text
        }


class RecordType:
    key: str
    label: Promise
    model: type[models.Model]
    list_url: str
    # The type's own columns; `columns` adds the custom fields defined now.
    fixed_columns: tuple[Column, ...]
    custom_record_type: str = ""
    # Groups of column keys of which the header must name one each.
    required: tuple[tuple[str, ...], ...]
    # Filled into an empty cell of a new record (e.g. a lead's source).
    create_defaults: dict[str, Any] = {}
    # Why `may_import` / `may_export` said no (gettext_lazy).
    import_refusal: Promise = gettext_lazy("Your roles allow reading records, not importing them.")
    export_refusal: Promise = gettext_lazy("Your roles do not include this list.")

    @property
    def columns(self) -> tuple[Column, ...]:
        """The type's own columns, then its custom fields' (read from the database each time)."""
        return (*self.fixed_columns, *custom_columns(self.custom_record_type))

    # -- what a type says ---------------------------------------------------------

    def may_import(self, user) -> bool:
        """Whether `user` may import records of this type: whoever may add them by hand."""
        return access.may_create(user)

    def may_export(self, user) -> bool:
        """Whether `user` may export the list at all; its selector keeps only what they see."""
        return True

    def create_form(self, user, data: dict) -> forms.ModelForm:
        raise NotImplementedError

    def update_form(self, user, instance, data: dict) -> forms.ModelForm:
        raise NotImplementedError

    def create(self, user, check: RowCheck):
        raise NotImplementedError

    def update(self, user, check: RowCheck, revision: int | None):
        raise NotImplementedError

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def prepare(self, user, rows: list[dict[str, str]]) -> dict[str, Any]:
        """Look up, in a few queries, what the rows refer to besides their own ids."""
        return {}

    def match(self, context: dict, check: RowCheck, values: dict[str, Any], headers) -> None:
        """Find the parent record, or an existing record by a natural key (NIP, e-mail)."""

    def new_identity(self, check: RowCheck) -> tuple | None:
        """A key that two new records of one file must not share (a NIP …), if any."""
        return None

    def export_pages(self, request) -> Iterator[list]:
        """The records of the list as the request's query string filters it, a batch at a time."""
        raise NotImplementedError

    # -- checking -------------------------------------------------------------------

    def queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def lookups(self, user, rows: list[dict[str, str]]) -> dict[str, Any]:
        ids = [record_id(row.get("id", "")) for row in rows]
        targets = {record.pk: record for record in visible_by(self.queryset(), user, "pk", ids)}
        return {
            "columns": {column.key: column for column in self.columns},
            "targets": targets,
            "changeable": changeable_pks(self.model, user, targets),
            "people": People(user),
            **self.prepare(user, rows),
        }

    def check(self, user, context: dict, line: int, cells_in: dict[str, str], mapping: Mapping):
        """Check one row: which record it is, and whether its values pass the record's form."""
        check = RowCheck(line=line)
        headers = mapping.headers
        values: dict[str, Any] = {}
        columns = context["columns"]
        refused: set[str] = set()
        for key, raw in cells_in.items():
            text = cells.unquote_text(raw)
            if text == raw and cells.looks_like_formula(raw):
                check.error(
                    headers[key], _("Formulas are not imported: “%(cell)s”.") % {"cell": raw}
                )
                refused.add(key)
                continue
            values[key] = self._value(columns[key], text, check, headers[key])
        self._find_target(context, check, values, headers)
        if check.action == ERROR and check.instance is None and values.get("id"):
            check.label = self.row_label(check, values)
            return check
        self.match(context, check, values, headers)
        if check.action == ERROR and check.instance is not None:
            # The record cannot be changed at all: its cells need no checking.
            check.label = self.row_label(check, values)
            return check
        owner = self._owner(context, check, values, headers)
        form = self._form(user, context, check, values, owner)
        check.label = self.row_label(check, values)
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name in refused:
                    continue  # the formula is the error, not the emptiness left behind
                header = headers.get(name) or self._column_label(name)
                for message in messages:
                    check.error(header, message)
        if check.action == ERROR:
            return check
        check.data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        if owner is not None and "owner" not in form.fields and context["people"].may_assign:
            check.data["owner"] = owner
        if check.instance is not None:
            check.changes = [
                headers.get(name) or self._column_label(name)
                for name in _changed_fields(check.instance, form.instance, form.fields)
            ]
            if "owner" in check.data and "owner" not in form.fields:
                if check.data["owner"] != check.instance.owner:
                    check.changes.append(headers["owner"])
            check.action = UPDATE if check.changes else UNCHANGED
            check.identity = ("pk", check.instance.pk)
        else:
            check.identity = self.new_identity(check)
        return check

    def _value(self, column: Column, text: str, check: RowCheck, header: str):
        if column.kind == BOOLEAN and text:
            value = cells.boolean_value(text)
            if value is None:
                check.error(header, _("Write yes or no (tak or nie)."))
            return value
        return column.form_value(text)

    def _column_label(self, name: str) -> str:
        for column in self.columns:
            if column.key == name:
                return str(column.label)
        return ""

    def _find_target(self, context: dict, check: RowCheck, values: dict, headers) -> None:
        raw = values.get("id", "")
        if not raw:
            return
        record = context["targets"].get(record_id(raw))
        if record is None:
            check.error(
                headers["id"],
                _("There is no record with ID %(id)s that you can see.") % {"id": raw},
            )
            return
        check.instance = record
        self.ensure_changeable(context, check, headers["id"])

    def ensure_changeable(self, context: dict, check: RowCheck, header: str) -> None:
        if check.instance.pk not in context["changeable"]:
            check.error(header, _("You may view this record but not change it."))

    def _owner(self, context: dict, check: RowCheck, values: dict, headers):
        text = values.get("owner") or ""
        if not text:
            return None
        person, message = context["people"].find(text)
        if message:
            check.error(headers["owner"], message)
        return person

    def _form(self, user, context, check: RowCheck, values, owner) -> forms.ModelForm:
        updating = check.instance is not None
        if ("fields", updating) not in context:
            context[("fields", updating)] = self._form_fields(user, check.instance)
        fields, defaults = context[("fields", updating)]
        if check.instance is not None:
            # An empty cell keeps what the record has: a file with a few columns
            # updates those and nothing else.
            data = model_to_dict(check.instance, fields=fields)
            data["revision"] = check.instance.revision
        else:
            data = {name: "" for name in fields}
            data.update(defaults)
            data.update(self.create_defaults)
        for name, value in values.items():
            if name in fields and value not in ("", None):  # False is a value
                data[name] = value
        if "owner" in fields:
            data["owner"] = owner.pk if owner is not None else data.get("owner") or user.pk
        if check.instance is not None:
            return self.update_form(user, copy(check.instance), data)
        return self.create_form(user, data)

    def _form_fields(self, user, instance) -> tuple[list[str], dict[str, Any]]:
        """The form's fields, and what a new record's required ones hold when the file is silent.

        The model's default stands in, as the form's initial value would on the
        page (an account is a company unless the file says otherwise).
        """
        form = (
            self.update_form(user, copy(instance), None)
            if instance is not None
            else self.create_form(user, None)
        )
        names = [name for name in form.fields if name != "revision"]
        defaults = {}
        for name in names:
            try:
                model_field = self.model._meta.get_field(name)
            except Exception:  # a form-only field
                continue
            if form.fields[name].required and model_field.has_default():
                defaults[name] = model_field.get_default()
        return names, defaults

    # -- export -------------------------------------------------------------------------

    def export_columns(self) -> list[Column]:
        return [column for column in self.columns if column.value is not None]
