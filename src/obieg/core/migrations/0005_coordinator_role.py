"""The grant project coordinator's role (S3) exists as a group from migrate on, like the others."""

from django.db import migrations


def create_coordinator_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="coordinator")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_worker_lease")]

    operations = [migrations.RunPython(create_coordinator_group, migrations.RunPython.noop)]
