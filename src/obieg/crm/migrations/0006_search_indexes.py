"""Indexes of the search and sort columns.

b-tree, both databases: (sort_name, id) for the lists sorted by name (keyset
pages in Polish order), regon, pesel, lower(e-mail) and the NIP of leads for
the global search and the duplicate check (phone_digits got its index with
the column).

PostgreSQL: pg_trgm GIN indexes on the folded columns, so `LIKE '%lodz%'`
is answered from the index (the lists, the global search, the duplicate
check by name). They replace 0002's trigram indexes on UPPER(name) and
UPPER(city), which no query uses any more. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it. Where it cannot be
created, the migration logs a warning naming what to run as a superuser
(`CREATE EXTENSION pg_trgm;` then `obieg migrate crm 0005` and `obieg migrate`
again) and goes on: search works without them, by scanning. SQLite has no
trigram index; it scans the short folded column (see bench/lists.py).
"""

from django.db import migrations, models
from django.db.models.functions import Lower

from obieg.core.trigram import create_trigram_index, trigram_ready

TRIGRAM_INDEXES = {
    "crm_account_search_trgm": ("crm_account", "search_name"),
    "crm_account_city_search_trgm": ("crm_account", "search_city"),
    "crm_contact_search_trgm": ("crm_contactperson", "search_name"),
    "crm_lead_search_trgm": ("crm_lead", "search_name"),
    "crm_opportunity_search_trgm": ("crm_opportunity", "search_name"),
}
# 0002's, on the raw columns.
OLD_TRIGRAM_INDEXES = {
    "crm_account_name_trgm": 'UPPER("name"::text) gin_trgm_ops',
    "crm_account_city_trgm": 'UPPER("city"::text) gin_trgm_ops',
}


def _has_trigram(schema_editor) -> bool:
    return trigram_ready(schema_editor, rerun="crm 0005")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not _has_trigram(schema_editor):
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        create_trigram_index(schema_editor, name, table, column)
    for name in OLD_TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    if not _has_trigram(schema_editor):
        return
    for name, expression in OLD_TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "crm_account" USING gin ({expression})'
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0005_fill_search_columns")]

    operations = [
        migrations.RemoveIndex(
            model_name="account",
            name="crm_account_owner_i_d04c10_idx",
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["sort_name", "id"], name="crm_account_sort_na_2ddb32_idx"),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(
                fields=["owner", "sort_name", "id"], name="crm_account_owner_i_9861e8_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["regon"], name="crm_account_regon_1d480f_idx"),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["pesel"], name="crm_account_pesel_0875c3_idx"),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(Lower("email"), name="crm_account_email_lower"),
        ),
        migrations.AddIndex(
            model_name="contactperson",
            index=models.Index(fields=["sort_name", "id"], name="crm_contact_sort_na_ca2454_idx"),
        ),
        migrations.AddIndex(
            model_name="contactperson",
            index=models.Index(Lower("email"), name="crm_contact_email_lower"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["sort_name", "id"], name="crm_lead_sort_na_c5daf5_idx"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["nip"], name="crm_lead_nip_281979_idx"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(Lower("email"), name="crm_lead_email_lower"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["sort_name", "id"], name="crm_opportu_sort_na_8a6b5d_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
