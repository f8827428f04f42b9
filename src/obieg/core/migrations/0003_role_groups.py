"""The roles exist as groups from the first migrate, so administrators only assign them."""

from django.db import migrations

ROLES = (
    "salesperson",
    "phone_sales",
    "field_sales",
    "designer",
    "sales_manager",
    "accountant",
    "installer",
    "secretariat",
    "department_head",
    "board",
    "admin",
)


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_sequence"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
