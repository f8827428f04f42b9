"""Search and sort columns of accounts, contacts, leads and opportunities (core.text_search).

Filled by 0005, indexed by 0006.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0003_customer_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="phone_digits",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=30
            ),
        ),
        migrations.AddField(
            model_name="account",
            name="search_city",
            field=models.CharField(blank=True, default="", editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="account",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="account",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="contactperson",
            name="phone_digits",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=30
            ),
        ),
        migrations.AddField(
            model_name="contactperson",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=210),
        ),
        migrations.AddField(
            model_name="contactperson",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="lead",
            name="phone_digits",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=30
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=510),
        ),
        migrations.AddField(
            model_name="lead",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
    ]
