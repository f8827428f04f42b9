"""Every record that points at an account, found from the models themselves.

Merging two accounts must move everything that belongs to the duplicate,
including what an app or solution adds later. So nothing here lists models:
the relations are read from Django's model metadata each time —

- every concrete foreign key or one-to-one field to `Account` on any model
  (hidden ones too, such as a PV project's `related_name="+"`; the link rows
  of a many-to-many relation are records of its through model, so they are
  found the same way);
- every generic relation (`GenericForeignKey`: a case's or document's
  subject, a calendar event's) whose target may be an account.

The audit trail (`AuditEntry`) names records by content type and id without
a `GenericForeignKey`: it is history, kept as written, never moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q, UniqueConstraint

from obieg.crm.models import Account


@dataclass(frozen=True)
class Relation:
    """One way a record can point at an account: `model.field` (or a generic pair)."""

    model: type[models.Model]
    field: str  # the foreign key's name, or a generic relation's id field
    type_field: str = ""  # a generic relation's content-type field; empty for a foreign key

    @property
    def key(self) -> str:
        """A stable name for the audit trail and the API ("sales.offer.account")."""
        return f"{self.model._meta.label_lower}.{self.field}"

    @property
    def is_generic(self) -> bool:
        return bool(self.type_field)

    @property
    def is_link_table(self) -> bool:
        """The auto-created rows of a many-to-many relation: links, not business records."""
        return bool(self.model._meta.auto_created)

    @cached_property
    def _column(self) -> str:
        return self.field if self.is_generic else self.model._meta.get_field(self.field).attname

    def of(self, account_pk: int) -> Q:
        """The condition "points at account `account_pk`" on `model`."""
        if self.is_generic:
            return Q(**{self.type_field: _account_type(), self.field: account_pk})
        return Q(**{self._column: account_pk})

    def records(self, account_pk: int) -> models.QuerySet:
        return self.model._base_manager.filter(self.of(account_pk))

    def moved_values(self, survivor_pk: int) -> dict:
        return {self._column: survivor_pk}

    def unique_sets(self) -> list[tuple[tuple[str, ...], Q | None]]:
        """The field sets that must stay unique and include this relation's field.

        Each comes with its condition (a partial unique constraint) or None.
        Expression-based constraints cannot be read this way: the database
        still refuses them, and the merge turns that refusal into a message.
        """
        if self.is_generic:
            return []
        meta = self.model._meta
        field = meta.get_field(self.field)
        found: list[tuple[tuple[str, ...], Q | None]] = []
        if field.unique:
            found.append(((self.field,), None))
        for together in meta.unique_together:
            if self.field in together:
                found.append((tuple(together), None))
        for constraint in meta.constraints:
            if isinstance(constraint, UniqueConstraint) and self.field in constraint.fields:
                found.append((tuple(constraint.fields), constraint.condition))
        return found


def _account_type() -> ContentType:
    return ContentType.objects.get_for_model(Account, for_concrete_model=True)


def foreign_key_relations() -> list[Relation]:
    """Every concrete foreign key and one-to-one field that points at an account."""
    found = []
    for related in Account._meta.get_fields(include_hidden=True):
        if not (related.auto_created and not related.concrete):
            continue  # a field of Account itself
        if related.many_to_many:
            continue  # its link rows are found as their through model's foreign keys
        field = related.field
        if not field.concrete or field.model._meta.proxy:
            continue
        found.append(Relation(model=field.model, field=field.name))
    return sorted(found, key=lambda relation: relation.key)


def generic_relations() -> list[Relation]:
    """Every generic relation (content type + id) of any installed model."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append(
                    Relation(model=model, field=private.fk_field, type_field=private.ct_field)
                )
    return sorted(found, key=lambda relation: relation.key)


def all_relations() -> list[Relation]:
    return foreign_key_relations() + generic_relations()


@dataclass(frozen=True)
class Clash:
    relation: Relation
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        meta = self.relation.model._meta
        names = ", ".join(str(meta.get_field(name).verbose_name) for name in self.fields)
        return f"{meta.verbose_name_plural} ({names})"


def clashes(survivor_pk: int, duplicate_pk: int) -> list[Clash]:
    """The unique rules that moving the duplicate's records to the survivor would break.

    A one-to-one relation clashes when both accounts have a record; a unique
    set of fields (the account and a number, say) when a record of each has
    the same values in the other fields. Links of a many-to-many relation
    never clash: a link the survivor already has is simply the same link.
    """
    found = []
    for relation in foreign_key_relations():
        if relation.is_link_table:
            continue
        for fields, condition in relation.unique_sets():
            if _breaks(relation, fields, condition, survivor_pk, duplicate_pk):
                found.append(Clash(relation, fields))
    return found


def _breaks(
    relation: Relation, fields: tuple[str, ...], condition: Q | None, survivor_pk, duplicate_pk
) -> bool:
    theirs = relation.records(duplicate_pk)
    ours = relation.records(survivor_pk)
    if condition is not None:
        theirs, ours = theirs.filter(condition), ours.filter(condition)
    others = [name for name in fields if name != relation.field]
    if not others:
        return theirs.exists() and ours.exists()
    # NULLs never equal each other here, as in the database's unique index.
    same = ours.filter(**{name: OuterRef(name) for name in others})
    return theirs.filter(Exists(same)).exists()


def redundant_links(relation: Relation, survivor_pk: int, duplicate_pk: int) -> models.QuerySet:
    """Link rows of the duplicate that the survivor already has (dropped, not moved)."""
    meta = relation.model._meta
    others = [
        field.attname
        for field in meta.concrete_fields
        if field.is_relation and field.name != relation.field
    ]
    same = relation.records(survivor_pk).filter(**{name: OuterRef(name) for name in others})
    return relation.records(duplicate_pk).filter(Exists(same))
