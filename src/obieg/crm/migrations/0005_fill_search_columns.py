"""Fill the search and sort columns of the records that exist (new ones are filled on save).

Rows are read and written a chunk at a time by primary key, with one
prepared UPDATE per chunk, so 10^5-10^6 rows take seconds and little memory.
The values come from `obieg.core.text_search`, the one folding every list uses.
"""

from django.db import migrations

from obieg.core.text_search import fold, fold_parts, phone_key, sort_key_of

CHUNK = 5_000


def _account(name, city, phone):
    return fold(name)[:200], fold(city)[:100], sort_key_of(name, limit=255), phone_key(phone)[:30]


def _contact(first_name, last_name, phone):
    return (
        fold_parts(first_name, last_name, limit=210),
        sort_key_of(last_name, first_name, limit=255),
        phone_key(phone)[:30],
    )


def _lead(company_name, contact_name, city, phone):
    return (
        fold_parts(company_name, contact_name, city, limit=510),
        sort_key_of(company_name, contact_name, limit=255),
        phone_key(phone)[:30],
    )


def _opportunity(name):
    return fold(name)[:200], sort_key_of(name, limit=255)


# model name: (source fields, derived columns, function of the sources)
TABLES = {
    "Account": (
        ("name", "city", "phone"),
        ("search_name", "search_city", "sort_name", "phone_digits"),
        _account,
    ),
    "ContactPerson": (
        ("first_name", "last_name", "phone"),
        ("search_name", "sort_name", "phone_digits"),
        _contact,
    ),
    "Lead": (
        ("company_name", "contact_name", "city", "phone"),
        ("search_name", "sort_name", "phone_digits"),
        _lead,
    ),
    "Opportunity": (("name",), ("search_name", "sort_name"), _opportunity),
}


def fill(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, (sources, columns, derive) in TABLES.items():
        model = apps.get_model("crm", model_name)
        assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s"
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *sources)[:CHUNK]
            )
            if not rows:
                break
            with connection.cursor() as cursor:
                cursor.executemany(sql, [[*derive(*values), pk] for pk, *values in rows])
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
