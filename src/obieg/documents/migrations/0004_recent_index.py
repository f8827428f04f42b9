"""An index of every document recently changed first: the documents list and the API's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_search_title"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["-updated_at", "-id"], name="documents_recent"),
        ),
    ]
