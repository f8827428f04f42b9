import django.core.validators
import django.db.models.functions.text
from django.db import migrations, models

import obieg.core.money
import obieg.core.text_search


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("revision", models.PositiveIntegerField(default=1, editable=False)),
                ("code", models.CharField(help_text="Unique, e.g. PV-MOD-450.", max_length=40, validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Za-z0-9][A-Za-z0-9._/-]*\\Z",
                                "Use letters, digits and . _ / - only, without spaces or Polish letters.",
                            )
                        ], verbose_name="code (SKU)")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("description", models.TextField(blank=True, help_text="Internal notes; offer lines copy the name.", verbose_name="description")),
                ("kind", models.CharField(choices=[("product", "product"), ("service", "service")], default="product", max_length=10, verbose_name="kind")),
                ("unit", models.CharField(default="szt.", max_length=20, verbose_name="unit")),
                ("unit_price", obieg.core.money.MoneyField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name="unit price (net)")),
                ("unit_cost", obieg.core.money.MoneyField(decimal_places=2, default=0, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name="unit cost")),
                ("vat_rate", models.CharField(choices=[("23", "23%"), ("8", "8%"), ("5", "5%"), ("0", "0%"), ("zw", "exempt (zw)")], default="23", max_length=3, verbose_name="VAT rate")),
                ("active", models.BooleanField(default=True, help_text="Only active items can be added to offers.", verbose_name="active")),
                ("search_name", models.CharField(blank=True, default="", editable=False, max_length=250)),
                ("sort_name", models.CharField(blank=True, default="", editable=False, max_length=255)),
            ],
            options={
                "verbose_name": "catalogue item",
                "verbose_name_plural": "catalogue items",
                "indexes": [
                    models.Index(fields=["sort_name", "id"], name="catalogue_p_sort_na_803c39_idx"),
                    models.Index(fields=["code", "id"], name="catalogue_p_code_7c775d_idx"),
                    models.Index(fields=["unit_price", "id"], name="catalogue_p_unit_pr_11e36a_idx"),
                    models.Index(fields=["active", "sort_name", "id"], name="catalogue_p_active_4295e0_idx"),
                    models.Index(fields=["-updated_at", "-id"], name="catalogue_p_updated_2c3e3c_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.text.Upper("code"),
                        name="catalogue_product_code_unique",
                        violation_error_code="code_taken",
                        violation_error_message="An item with this code already exists.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("unit_price__gte", 0), ("unit_cost__gte", 0)),
                        name="catalogue_product_amounts_not_negative",
                    ),
                ],
            },
            bases=(obieg.core.text_search.SearchColumns, models.Model),
        ),
    ]
