"""core/prepared_rows.py prints what the template tags it replaces print."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.template import Context, Template
from django.utils import translation

from obieg.core.prepared_rows import choice_labels, date_text
from obieg.crm.models import Lead


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "value",
    [
        None,
        date(2026, 12, 31),
        # 23:30 UTC is already the next day in Warsaw: shown in local time, as the filter does.
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 7, 1, 22, 30, tzinfo=timezone(timedelta(hours=-2))),
    ],
)
def test_a_date_is_written_as_the_date_filter_writes_it(language, value):
    template = Template('{{ value|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        assert date_text()(value) == template.render(Context({"value": value}))


def test_choice_labels_are_the_display_values_in_the_readers_language():
    with translation.override("en"):
        english = choice_labels(Lead._meta.get_field("status").flatchoices)
    with translation.override("pl"):
        polish = choice_labels(Lead._meta.get_field("status").flatchoices)
        assert polish[Lead.Status.NEW] == Lead(status=Lead.Status.NEW).get_status_display()
    assert set(english) == set(Lead.Status.values)
    assert english[Lead.Status.NEW] != polish[Lead.Status.NEW]
