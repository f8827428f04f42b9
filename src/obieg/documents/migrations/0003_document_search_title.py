"""The folded title the global search looks in, filled for the documents that exist.

Filled a chunk at a time by primary key (new documents fill it on save); on
PostgreSQL a pg_trgm GIN index answers `LIKE '%umowa%'` (see core.trigram).
"""

from django.db import migrations, models

from obieg.core.text_search import fold
from obieg.core.trigram import create_trigram_index, trigram_ready

CHUNK = 5_000
INDEX = "documents_document_title_search_trgm"


def fill_search_titles(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    last = 0
    while True:
        rows = list(
            Document.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "title")[:CHUNK]
        )
        if not rows:
            return
        changed = [Document(pk=pk, search_title=fold(title)[:200]) for pk, title in rows]
        Document.objects.bulk_update(changed, ["search_title"], batch_size=CHUNK)
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if trigram_ready(schema_editor, rerun="documents 0002"):
        create_trigram_index(schema_editor, INDEX, "documents_document", "search_title")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_grant_application_kind")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="search_title",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_search_titles, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
