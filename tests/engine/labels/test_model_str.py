"""A case, a task and a process version print in the reader's language (#17).

`str()` is what admin lists, flash messages and any `{{ case }}` show; the
model (tests/engine/labels/test_labels.py) is written in Polish with English
names beside it.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from obieg.engine import labels
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from tests.engine.labels.test_labels import deployed


@pytest.fixture(autouse=True)
def fresh_labels():
    labels.clear()
    yield
    labels.clear()


@pytest.fixture
def started(org):
    definition = deployed()
    case = engine.start_case(process=definition.key, actor=org.sara)  # titled by its process
    item = WorkItem.objects.get(case=case, element_id="order", status="open")
    return definition, case, item


def test_a_process_version_prints_its_name_in_the_readers_language(started):
    definition, _case, _item = started
    with translation.override("pl"):
        assert str(definition) == f"Zakup v{definition.version}"
    with translation.override("en"):
        assert str(definition) == f"Purchase v{definition.version}"


def test_a_case_named_by_its_process_prints_it_in_the_readers_language(started):
    _definition, case, _item = started
    case = Case.objects.get(pk=case.pk)
    assert case.title == "Zakup"  # stored as the model writes it
    with translation.override("pl"):
        assert str(case) == "Zakup"
    with translation.override("en"):
        assert str(case) == "Purchase"
    # A case without any title is its process's name and number.
    case.title = ""
    with translation.override("en"):
        assert str(case) == f"Purchase #{case.pk}"
    with translation.override("pl"):
        assert str(case) == f"Zakup #{case.pk}"


def test_a_case_with_its_own_title_keeps_it_in_every_language(org, started):
    definition, _case, _item = started
    case = engine.start_case(process=definition.key, actor=org.sara, title="Kable dla Lipowej")
    for language in ("pl", "en"):
        with translation.override(language):
            assert str(Case.objects.get(pk=case.pk)) == "Kable dla Lipowej"


def test_a_work_item_prints_its_task_name_in_the_readers_language(started):
    _definition, _case, item = started
    item = WorkItem.objects.select_related("case__definition").get(pk=item.pk)
    assert item.name == "Zamów towar"
    with translation.override("pl"):
        assert str(item) == "Zamów towar"
    with translation.override("en"):
        assert str(item) == "Order the goods"
