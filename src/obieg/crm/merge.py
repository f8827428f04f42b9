"""Merging a duplicate account into the one that stays (issue #17).

Everything that points at the duplicate — contact persons, activities,
leads, opportunities, offers, contracts, invoices, documents, the solutions'
records, cases and calendar events whose subject it is, and whatever is
added later — moves to the survivor (`merge_relations` finds the relations
from the models). For each field in which the two differ, the person merging
chooses which value stays; an empty field of the survivor takes the
duplicate's value. The duplicate is then deleted: nothing points at it any
more, and its own audit trail stays where it was written, with a last entry
naming the account it was merged into.

One transaction, conditional on the revisions of both accounts as the
person saw them (a stale page changes nothing); both rows are locked in the
order of their ids, so two merges at once wait for each other instead of
deadlocking, and a second merge of an account already merged away is
refused rather than losing records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core import access, audit, clock, one_trip, records, roles
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditAction, AuditEntry
from obieg.crm import merge_relations
from obieg.crm.merge_relations import Relation
from obieg.crm.models import Account, ContactPerson

SURVIVOR = "survivor"
DUPLICATE = "duplicate"
BOTH = "both"  # texts only (notes): the survivor's, then the duplicate's

# Chosen together: a street from one account and a town from the other is no address.
GROUPS: dict[str, tuple[str, ...]] = {
    "address": ("street", "postal_code", "city", "voivodeship", "latitude", "longitude"),
}
GROUP_LABELS = {"address": gettext_lazy("address")}


def _field_names() -> list[str]:
    """The account's own data: editable concrete fields, not bookkeeping."""
    return [
        field.name
        for field in Account._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in audit.SKIPPED_FIELDS
    ]


def merge_keys() -> list[str]:
    """What the person chooses between: single fields, and groups chosen as one."""
    grouped = {name for names in GROUPS.values() for name in names}
    keys: list[str] = []
    for name in _field_names():
        if name not in grouped:
            keys.append(name)
        else:
            group = next(key for key, names in GROUPS.items() if name in names)
            if group not in keys:
                keys.append(group)
    return keys


def _fields_of(key: str) -> tuple[str, ...]:
    return GROUPS.get(key, (key,))


def _raw(account: Account, key: str) -> tuple:
    return tuple(
        getattr(account, Account._meta.get_field(name).attname) for name in _fields_of(key)
    )


def _empty(values: tuple) -> bool:
    return all(value in (None, "") for value in values)


@dataclass(frozen=True)
class FieldComparison:
    key: str
    label: str
    survivor: str  # as people read it
    duplicate: str
    # "same": nothing to do; "fill": the survivor's is empty and takes the duplicate's;
    # "choose": both have a value and they differ.
    outcome: str
    allows_both: bool


def _display(account: Account, key: str) -> str:
    parts = []
    for name in _fields_of(key):
        field = Account._meta.get_field(name)
        value = getattr(account, name)
        if value in (None, ""):
            continue
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        parts.append(str(value))
    return ", ".join(parts)


def key_label(key: str) -> str:
    """What people call a field or group of the account ("address", "NIP")."""
    if key in GROUP_LABELS:
        return str(GROUP_LABELS[key])
    field = _field(Account, key)
    return str(field.verbose_name) if field is not None else key


def compare(survivor: Account, duplicate: Account) -> list[FieldComparison]:
    """Field by field (addresses as one), what the two accounts hold and what will happen."""
    rows = []
    for key in merge_keys():
        ours, theirs = _raw(survivor, key), _raw(duplicate, key)
        if ours == theirs or _empty(theirs):
            outcome = "same"
        elif _empty(ours):
            outcome = "fill"
        else:
            outcome = "choose"
        allows_both = key not in GROUPS and isinstance(
            Account._meta.get_field(key), models.TextField
        )
        rows.append(
            FieldComparison(
                key=key,
                label=key_label(key),
                survivor=_display(survivor, key),
                duplicate=_display(duplicate, key),
                outcome=outcome,
                allows_both=allows_both,
            )
        )
    return rows


@dataclass(frozen=True)
class MovingRecords:
    relation: Relation
    count: int  # capped like every count (COUNT_CAP + 1 means "more")

    @property
    def label(self) -> str:
        return relation_label(self.relation.key)


def relation_label(key: str) -> str:
    """A relation's key ("sales.offer.account") as people read it ("offers")."""
    app_model, _sep, field_name = key.rpartition(".")
    try:
        model = ContentType.objects.get_by_natural_key(*app_model.split(".")).model_class()
    except (ContentType.DoesNotExist, TypeError, ValueError):
        model = None
    if model is None:
        return key
    label = str(model._meta.verbose_name_plural)
    # Two relations of one model to accounts (a buyer and a payer …) say which is which.
    same_model = [r for r in merge_relations.all_relations() if r.model is model]
    if len(same_model) > 1:
        field = _field(model, field_name)
        label += f" ({field.verbose_name if field is not None else field_name})"
    return label


def moving_records(duplicate: Account) -> list[MovingRecords]:
    """How many records of each kind point at `duplicate`: one statement, capped counts.

    Counted over every record, whoever may see it: the merge moves them all,
    and the person merging should know how much moves.
    """
    relations = merge_relations.all_relations()
    counts = one_trip.capped_counts(
        {relation.key: relation.records(duplicate.pk) for relation in relations}
    )
    return [
        MovingRecords(relation, counts[relation.key])
        for relation in relations
        if counts[relation.key] and not relation.is_link_table
    ]


def may_merge(user, survivor: Account, duplicate: Account) -> bool:
    """Who may merge: whoever may change both accounts and is an administrator, a sales
    manager, or the owner of both.

    A merge deletes a customer and moves records other people work on, so
    being able to edit both (the department's or a colleague's) is not enough.
    """
    if not (access.can_change(user, survivor) and access.can_change(user, duplicate)):
        return False
    if access.is_admin(user) or user.has_role(roles.SALES_MANAGER):
        return True
    return survivor.owner_id == user.pk and duplicate.owner_id == user.pk


def may_start(user, account: Account) -> bool:
    """Whether to offer `user` the merge of `account` with another (`may_merge` decides)."""
    if not access.can_change(user, account):
        return False
    if access.is_admin(user) or user.has_role(roles.SALES_MANAGER):
        return True
    return account.owner_id == user.pk


def _check_choices(choices: dict[str, str]) -> None:
    keys = set(merge_keys())
    errors: dict[str, list[str]] = {}
    for key, value in choices.items():
        if key not in keys:
            errors[key] = [_("Not a field of an account that a merge chooses.")]
        elif value not in (SURVIVOR, DUPLICATE, BOTH):
            errors[key] = [_("Choose the surviving account's value or the duplicate's.")]
        elif value == BOTH and (
            key in GROUPS or not isinstance(Account._meta.get_field(key), models.TextField)
        ):
            errors[key] = [_("Only texts can keep both values.")]
    if errors:
        raise ApplicationError(_("Some choices are not valid."), field_errors=errors)


def _merged_values(
    survivor: Account, duplicate: Account, choices: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The survivor's new values, what was chosen where the two differ, what was filled."""
    values: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    filled: list[str] = []
    for row in compare(survivor, duplicate):
        names = _fields_of(row.key)
        if row.outcome == "fill":
            take = DUPLICATE
            filled.append(row.key)
        elif row.outcome == "choose":
            take = choices.get(row.key, SURVIVOR)
            chosen[row.key] = take
        else:
            continue
        if take == DUPLICATE:
            for name in names:
                attname = Account._meta.get_field(name).attname
                values[attname] = getattr(duplicate, attname)
        elif take == BOTH:
            name = names[0]
            values[name] = f"{getattr(survivor, name)}\n\n{getattr(duplicate, name)}"
    # Custom fields (obieg.customfields) are not in the comparison: the duplicate's
    # values fill the fields the survivor has none for; where both have one, the
    # survivor's stays (the audit entry keeps the duplicate's, as for every field).
    custom = {
        key: value
        for key, value in duplicate.custom.items()
        if value not in (None, "") and survivor.custom.get(key) in (None, "")
    }
    if custom:
        values["custom"] = {**survivor.custom, **custom}
        filled += [f"custom.{key}" for key in sorted(custom)]
    return values, chosen, filled


@dataclass(frozen=True)
class MergeResult:
    survivor: Account
    moved: dict[str, int]  # relation key -> records moved
    chosen: dict[str, str]
    filled: list[str]


def _lock(pk: int) -> Account:
    account = Account.objects.select_for_update().filter(pk=pk).first()
    if account is None:
        raise Conflict(
            _(
                "One of the two accounts no longer exists (merged or deleted meanwhile); "
                "nothing was changed."
            )
        )
    return account


@transaction.atomic
def account_merge(
    *,
    actor,
    survivor: Account,
    duplicate: Account,
    survivor_revision: int,
    duplicate_revision: int,
    choices: dict[str, str] | None = None,
) -> MergeResult:
    """Move every record of `duplicate` to `survivor`, apply the chosen values, delete it."""
    choices = dict(choices or {})
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("An account cannot be merged into itself."))
    _check_choices(choices)
    # In the order of their ids, whichever is kept: two merges of the same pair
    # (either way round) take the locks in one order and wait, never deadlock.
    locked = {pk: _lock(pk) for pk in sorted((survivor.pk, duplicate.pk))}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.revision != survivor_revision or duplicate.revision != duplicate_revision:
        raise Conflict(
            _(
                "One of the accounts was changed after you compared them; nothing was merged. "
                "Compare them again."
            )
        )
    if not may_merge(actor, survivor, duplicate):
        raise PermissionDenied(
            _(
                "Only an administrator, a sales manager, or the owner of both accounts "
                "may merge them."
            )
        )
    found = merge_relations.clashes(survivor.pk, duplicate.pk)
    if found:
        raise ApplicationError(
            _(
                "These records cannot be moved: the surviving account already has records "
                "with the same values, and they must stay unique: %(clashes)s. "
                "Nothing was merged."
            )
            % {"clashes": "; ".join(clash.label for clash in found)}
        )

    values, chosen, filled = _merged_values(survivor, duplicate, choices)
    before = audit.snapshot(survivor)
    for name, value in values.items():
        setattr(survivor, name, value)
    records.full_clean(survivor)

    _keep_one_primary_contact(survivor, duplicate, actor)
    moved = {
        relation.key: count
        for relation in merge_relations.all_relations()
        if (count := _move(relation, survivor, duplicate, actor))
    }

    survivor.revision += 1
    survivor.save()
    changes = audit.diff(before, audit.snapshot(survivor))
    changes["merge"] = {
        "duplicate": {"id": duplicate.pk, **audit.snapshot(duplicate)},
        "chosen": chosen,
        "filled": filled,
        "moved": moved,
    }
    audit.record(survivor, actor=actor, action=AuditAction.UPDATE, changes=changes)

    duplicate_pk = duplicate.pk
    try:
        with transaction.atomic():
            duplicate.delete()
    except (models.ProtectedError, models.RestrictedError) as error:  # not moved by the walk
        raise ApplicationError(
            _("The duplicate cannot be deleted: other records still refer to it.")
        ) from error
    entry = audit.record_delete(duplicate, actor=actor, pk=duplicate_pk)
    entry.changes["merged_into"] = [None, f"{survivor} (#{survivor.pk})"]
    entry.save(update_fields=["changes"])
    return MergeResult(survivor=survivor, moved=moved, chosen=chosen, filled=filled)


def _keep_one_primary_contact(survivor: Account, duplicate: Account, actor) -> None:
    """The survivor's primary contact stays the one; the duplicate's becomes an ordinary one."""
    if not ContactPerson.objects.filter(account=survivor, is_primary=True).exists():
        return
    demoted = list(
        ContactPerson.objects.filter(account=duplicate, is_primary=True).values_list(
            "pk", flat=True
        )
    )
    if not demoted:
        return
    ContactPerson.objects.filter(pk__in=demoted).update(
        is_primary=False, revision=F("revision") + 1, updated_at=clock.now()
    )
    _audit_moved(ContactPerson, demoted, {"is_primary": ["True", "False"]}, actor)


def _move(relation: Relation, survivor: Account, duplicate: Account, actor) -> int:
    """Point every record of `relation` at the survivor; returns how many moved."""
    records_of_duplicate = relation.records(duplicate.pk)
    if relation.is_link_table:
        merge_relations.redundant_links(relation, survivor.pk, duplicate.pk).delete()
    pks = list(records_of_duplicate.values_list("pk", flat=True))
    if not pks:
        return 0
    model = relation.model
    update = relation.moved_values(survivor.pk)
    # A moved record changed: an edit form opened before the merge is stale.
    if isinstance(_field(model, "revision"), models.IntegerField):
        update["revision"] = F("revision") + 1
    if getattr(_field(model, "updated_at"), "auto_now", False):
        update["updated_at"] = clock.now()
    try:
        with transaction.atomic():
            model._base_manager.filter(pk__in=pks).update(**update)
    except IntegrityError as error:
        # A rule the walk cannot read (an expression or a trigger): the database says no.
        raise ApplicationError(
            _(
                "Records of the duplicate (%(records)s) cannot be moved: %(reason)s. "
                "Nothing was merged."
            )
            % {"records": model._meta.verbose_name_plural, "reason": error}
        ) from error
    # The audit trail names records by an integer id; link rows are no records of their own.
    if not relation.is_link_table and isinstance(model._meta.pk, models.IntegerField):
        changes = {relation.field: [str(duplicate.pk), str(survivor.pk)]}
        _audit_moved(model, pks, changes, actor)
    return len(pks)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _audit_moved(model, pks: list, changes: dict, actor) -> None:
    """One audit entry per moved record, written in bulk (a customer may have thousands)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    label = str(model._meta.verbose_name)
    who = actor if getattr(actor, "pk", None) else None
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                content_type=content_type,
                object_id=pk,
                object_repr=f"{label} #{pk}"[:200],
                action=AuditAction.UPDATE,
                actor=who,
                changes=changes,
            )
            for pk in pks
        ),
        batch_size=500,
    )
