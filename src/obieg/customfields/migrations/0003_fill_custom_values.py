"""Fill `CustomValue` from the `custom` objects records already hold (customfields.indexing).

From here on every save keeps the rows in step; this writes them once for
what was stored before. The forms are `indexing.value_row`'s, built here with
the historical models (the text folded as core.text_search.fold does).

On PostgreSQL the planner is also told that a value belongs to its field
(statistics on the pair; without them it multiplies the two columns'
frequencies and guesses a third of the rows of a common choice), and the
table is analysed once filled, so the first filtered list after an upgrade
is planned on real numbers.
"""

from decimal import Decimal, InvalidOperation

from django.db import migrations

from obieg.core.text_search import fold

MODELS = {
    "account": "Account",
    "contact": "ContactPerson",
    "lead": "Lead",
    "opportunity": "Opportunity",
}
BATCH = 2000


def _row(CustomValue, field, record_type, record_id, stored):
    if not isinstance(stored, str) or stored == "":
        return None
    row = CustomValue(field_id=field.pk, record_type=record_type, record_id=record_id)
    if field.kind == "text":
        row.text = fold(stored)
    elif field.kind == "number":
        try:
            row.number = Decimal(stored)
        except InvalidOperation:
            return None
        if not row.number.is_finite():
            return None
    else:
        row.exact = stored[:100]
    return row


def fill(apps, schema_editor):
    CustomField = apps.get_model("customfields", "CustomField")
    CustomValue = apps.get_model("customfields", "CustomValue")
    for record_type, model_name in MODELS.items():
        fields = {f.key: f for f in CustomField.objects.filter(record_type=record_type)}
        if not fields:
            continue
        records = apps.get_model("crm", model_name).objects.order_by()
        rows = []
        for record_id, custom in records.values_list("pk", "custom").iterator(chunk_size=BATCH):
            for key, stored in (custom or {}).items():
                field = fields.get(key)
                row = _row(CustomValue, field, record_type, record_id, stored) if field else None
                if row is not None:
                    rows.append(row)
            if len(rows) >= BATCH:
                CustomValue.objects.bulk_create(rows)
                rows = []
        CustomValue.objects.bulk_create(rows)
    if schema_editor.connection.vendor == "postgresql":
        table = CustomValue._meta.db_table
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS customfields_value_of_field (mcv, dependencies) "
            f"ON field_id, exact FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("customfields", "0002_custom_values"),
        ("crm", "0008_custom_fields"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
