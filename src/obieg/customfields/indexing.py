"""The indexed copy of records' custom values (`CustomValue`), kept in step with `custom`.

Every way a record's `custom` object changes goes through the model's
`save()` (forms, the API, imports, a merge, a lead conversion, processes:
all call the services, which save), so the record class carries
`IndexedCustomValues`: when `custom` changed, the save rewrites the
record's rows in the same transaction; so does `objects.filter(…)
.update(custom=…)`. Deleting a record deletes its rows (a post_delete
receiver, so cascades and queryset deletes too). `bulk_create` skips all
of this: its callers call `reindex()`, as the benchmark's loader does.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import models, router, transaction

from obieg.core.text_search import fold
from obieg.customfields.models import CustomField, CustomValue

_UNKNOWN = object()  # `custom` as last indexed is not known (not read from the database)


def value_row(field: CustomField, record_type: str, record_id: int, stored) -> CustomValue | None:
    """The indexed form of one stored value; None for an empty or unreadable one."""
    if not isinstance(stored, str) or stored == "":
        return None
    row = CustomValue(field=field, record_type=record_type, record_id=record_id)
    if field.kind == CustomField.Kind.TEXT:
        row.text = fold(stored)
    elif field.kind == CustomField.Kind.NUMBER:
        try:
            row.number = Decimal(stored)
        except InvalidOperation:
            return None  # never written by Obieg (values.canonical); not findable, not a 500
        if not row.number.is_finite():
            return None
    else:  # a choice's value, a date's ISO text
        row.exact = stored[:100]
    return row


def rows_for(record_type: str, records: Iterable[tuple[int, dict]]) -> list[CustomValue]:
    """The rows of `(record id, custom object)` pairs; one query for the definitions.

    Deactivated fields are indexed too: their values come back with them.
    """
    fields = {field.key: field for field in CustomField.objects.filter(record_type=record_type)}
    rows = []
    for record_id, custom in records:
        for key, stored in (custom or {}).items():
            field = fields.get(key)
            row = value_row(field, record_type, record_id, stored) if field else None
            if row is not None:
                rows.append(row)
    return rows


def reindex(model, records: Iterable) -> None:
    """Rewrite the rows of saved `records` of `model` (after a bulk insert or update)."""
    records = list(records)
    record_type = model.custom_record_type
    with transaction.atomic(using=router.db_for_write(model)):
        ids = [record.pk for record in records]
        for start in range(0, len(ids), 500):
            CustomValue.objects.filter(
                record_type=record_type, record_id__in=ids[start : start + 500]
            ).delete()
        rows = rows_for(record_type, ((record.pk, record.custom) for record in records))
        CustomValue.objects.bulk_create(rows, batch_size=500)
    for record in records:
        record._custom_indexed = dict(record.custom or {})


class IndexedCustomValuesQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "custom" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            ids = list(self.order_by().values_list("pk", flat=True))
            updated = super().update(**kwargs)
            reindex(self.model, self.model._base_manager.filter(pk__in=ids).only("pk", "custom"))
        return updated


class IndexedCustomValues(models.Model):
    """An abstract base: a save that changed `custom` rewrites the record's `CustomValue` rows.

    The model names its record type (`custom_record_type`). Only a changed
    object costs queries (three: definitions, delete, insert); a save that
    leaves `custom` alone, or does not write it (`update_fields`), costs none.
    """

    custom_record_type: str = ""

    objects = IndexedCustomValuesQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        adding = self._state.adding
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            update_fields = kwargs.get("update_fields")
            if self._custom_needs_index(update_fields, adding):
                reindex(type(self), [self])
            elif "custom" in self.__dict__ and (update_fields is None or "custom" in update_fields):
                self._custom_indexed = dict(self.custom or {})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = instance.__dict__.get("custom", _UNKNOWN)
        instance._custom_indexed = dict(loaded) if isinstance(loaded, dict) else _UNKNOWN
        return instance

    def _custom_needs_index(self, update_fields, adding: bool) -> bool:
        if "custom" not in self.__dict__:
            return False  # deferred and never read: the save did not write it
        if update_fields is not None and "custom" not in update_fields:
            return False
        before = getattr(self, "_custom_indexed", _UNKNOWN)
        if before is _UNKNOWN:
            return bool(self.custom) or not adding  # a new record without values has no rows
        return before != (self.custom or {})


def forget_deleted(sender, instance, **kwargs) -> None:
    """post_delete: the deleted record's rows go with it."""
    CustomValue.objects.filter(
        record_type=sender.custom_record_type, record_id=instance.pk
    ).delete()
