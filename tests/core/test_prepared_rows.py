"""core/prepared_rows.py prints what the template tags it replaces print."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.template import Context, Template
from django.utils import translation

from obieg.core.prepared_rows import _numeric, choice_labels, date_text
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


_VALUES = [
    date(2026, 1, 5),
    date(999, 3, 4),
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the hour summer time starts in Warsaw
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # and ends
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 2, 3, 4, 5, 6),  # naive: printed as it is
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "format_name", ["SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT"]
)
def test_every_format_prints_as_the_date_filter_whether_written_in_python_or_not(
    language, format_name
):
    # The short formats are numbers only (written by Python); the long ones name the
    # month (written by Django's formatter): both print what the filter prints.
    template = Template("{{ value|date:format_name }}")
    with translation.override(language):
        text = date_text(format_name)
        for value in _VALUES:
            if isinstance(value, datetime) or "TIME" not in format_name:
                context = Context({"value": value, "format_name": format_name})
                assert text(value) == template.render(context), value


def test_a_pattern_of_numbers_is_written_in_python_and_one_with_words_by_django():
    assert _numeric("d.m.Y H:i") is not None and _numeric("Y-m-d") is not None
    assert _numeric("j E Y") is None and _numeric(r"\d.m") is None


def test_a_date_in_a_pattern_with_a_time_is_refused_as_django_refuses_it(settings):
    settings.SHORT_DATETIME_FORMAT = "d.m.Y H:i"
    with translation.override(None), pytest.raises(TypeError):
        date_text("SHORT_DATETIME_FORMAT")(date(2026, 1, 5))


def test_choice_labels_are_the_display_values_in_the_readers_language():
    with translation.override("en"):
        english = choice_labels(Lead._meta.get_field("status").flatchoices)
    with translation.override("pl"):
        polish = choice_labels(Lead._meta.get_field("status").flatchoices)
        assert polish[Lead.Status.NEW] == Lead(status=Lead.Status.NEW).get_status_display()
    assert set(english) == set(Lead.Status.values)
    assert english[Lead.Status.NEW] != polish[Lead.Status.NEW]
