"""A record type that exists during one test only: an account's id in another system.

It stands for what an app may add later: a model with a foreign key to
Account and a unique rule that includes it (one id per system and account).
`registered` (the `external_reference` fixture of conftest.py) registers the
model, creates its table, and removes both afterwards, so no other test sees
a relation it does not know. Creating a table needs a test without the
wrapping transaction on SQLite, so the tests that use it are
`transaction=True`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, models

from obieg.crm.models import Account

LABEL = "web"  # an app without migrations: nothing here reaches the project's migrations


def _define():
    class ExternalReference(models.Model):
        account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
        system = models.CharField("system", max_length=30)
        code = models.CharField("code", max_length=30)

        class Meta:
            app_label = LABEL
            verbose_name = "external reference"
            verbose_name_plural = "external references"
            constraints = [
                models.UniqueConstraint(
                    fields=["account", "system"], name="test_external_ref_unique"
                )
            ]

        def __str__(self) -> str:
            return f"{self.system}:{self.code}"

    return ExternalReference


@contextmanager
def registered() -> Iterator[type[models.Model]]:
    """The model class, registered with its table until the block ends."""
    model = _define()
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield model
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)
        del apps.all_models[LABEL][model._meta.model_name]
        apps.clear_cache()
