"""Indexes of the API lists in their default order: contacts by name, newest opportunities."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0008_custom_fields"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contactperson",
            index=models.Index(
                fields=["last_name", "first_name", "id"], name="crm_contact_api_order"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["-created_at", "-id"], name="crm_opportunity_newest"),
        ),
    ]
