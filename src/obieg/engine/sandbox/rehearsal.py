"""Service-task actions in a test run: rehearsed in a savepoint, never done.

A test run must not mail a customer, issue an invoice, file a document or
touch a CRM record, whatever action a draft names. Instead of special cases
per action, every action of a test run runs the same way:

- inside a savepoint of the step's transaction that is always rolled back,
  so every row it writes (an outbox e-mail and its delivery job, an invoice
  and its number, an offer, a document) is undone, and the `on_commit`
  callbacks it registered are dropped with the savepoint;
- while it runs, every row it creates, changes or deletes is noted (Django's
  model signals), so the case history can say what the action *would have
  done* ("outgoing e-mail: jan@example.com: Your offer");
- files it stored beside those rows (a PDF, an e-mail attachment) are
  removed after the rollback, unless a remaining row still refers to them.

What the action returned is kept in the case data, so the run follows the
path the real one would take (the ids it returns point at rows that were
undone). An action that fails (a test run has no customer record to work
on) is noted with its error and returns nothing; a business refusal
(`ApplicationError`) goes where it goes in a real case: back to the person
whose form led to it, or it stops the run.

Rows written with `bulk_create` or raw SQL send no signal: they are undone
like the others but not listed. Registered actions never leave the machine
directly (`engine.registry`: outbound work is enqueued), so the rollback
covers everything they do.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from obieg.core.errors import ApplicationError

# At most this many rows are named per history line (the rest are counted).
NOTE_LIMIT = 20
TEXT_LIMIT = 200
# Bookkeeping rows every write makes: naming them tells the administrator nothing
# (the audit trail of each change, the delivery job of each e-mail).
_BOOKKEEPING = {"core.auditentry", "django_tasks_db.dbtaskresult"}


@dataclass
class Notes:
    """What an action did while it was rehearsed."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # (model, field, storage, name) of files written with a created or changed row.
    files: list[tuple[type[models.Model], models.FileField, Any, str]] = field(default_factory=list)


_current: ContextVar[Notes | None] = ContextVar("obieg_sandbox_rehearsal", default=None)


def _text(instance: models.Model) -> str:
    try:
        shown = str(instance)
    except Exception:  # a __str__ reading a related row the action never made
        shown = f"#{instance.pk}"
    return f"{instance._meta.verbose_name}: {shown}"[:TEXT_LIMIT]


def _noted(sender, instance, created=False, **kwargs) -> None:
    notes = _current.get()
    if notes is None or instance._meta.label_lower in _BOOKKEEPING:
        return
    target = notes.created if created else notes.changed
    target.append(_text(instance))
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.FileField):
            value = getattr(instance, model_field.attname)
            if value and getattr(value, "name", ""):
                notes.files.append((type(instance), model_field, value.storage, value.name))


def _noted_deletion(sender, instance, **kwargs) -> None:
    notes = _current.get()
    if notes is not None and instance._meta.label_lower not in _BOOKKEEPING:
        notes.deleted.append(_text(instance))


def _listen() -> None:
    """Connect the listeners once (dispatch_uid); they do nothing outside a rehearsal."""
    post_save.connect(_noted, dispatch_uid="obieg.engine.sandbox.rehearsal.saved", weak=False)
    post_delete.connect(
        _noted_deletion, dispatch_uid="obieg.engine.sandbox.rehearsal.deleted", weak=False
    )


class _Undo(Exception):
    """Raised at the end of a rehearsal to roll its savepoint back, carrying the result."""

    def __init__(self, result):
        super().__init__("rehearsal undone")
        self.result = result


@dataclass
class Rehearsal:
    result: Any = None
    notes: Notes = field(default_factory=Notes)
    failed: str = ""

    def event_data(self, action_name: str) -> dict[str, Any]:
        """The history line's data: which action, what it would have done, or how it failed."""
        data: dict[str, Any] = {"sandbox_action": action_name}
        for key, lines in (
            ("sandbox_would_create", self.notes.created),
            ("sandbox_would_change", self.notes.changed),
            ("sandbox_would_delete", self.notes.deleted),
        ):
            if lines:
                shown = "; ".join(lines[:NOTE_LIMIT])
                more = len(lines) - NOTE_LIMIT
                data[key] = f"{shown}; (+{more})" if more > 0 else shown
        if self.failed:
            data["sandbox_failed"] = self.failed[: TEXT_LIMIT * 2]
        return data


def rehearse(action: Callable[[Any], Any], context) -> Rehearsal:
    """Run `action(context)` and undo everything it wrote; say what it would have done.

    Must run inside a transaction (the step's): the rehearsal is a savepoint in it.
    """
    _listen()
    rehearsal = Rehearsal()
    token = _current.set(rehearsal.notes)
    try:
        with transaction.atomic():
            raise _Undo(action(context))
    except _Undo as undone:
        rehearsal.result = undone.result
    except ApplicationError:
        raise  # a business refusal: the step decides, as in a real case
    except Exception as error:
        rehearsal.failed = f"{type(error).__name__}: {error}"
    finally:
        _current.reset(token)
        _remove_files(rehearsal.notes.files)
    return rehearsal


def _remove_files(files) -> None:
    """Files the undone rows stored, unless a remaining row refers to them."""
    for model, model_field, storage, name in files:
        if model._base_manager.filter(**{model_field.attname: name}).exists():
            continue
        try:
            storage.delete(name)
        except OSError:  # already gone, or never written: nothing to clean
            pass
