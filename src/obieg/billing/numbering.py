"""Gap-free invoice numbers: FV/{yyyy}/{mm}/{seq:04} with a yearly or monthly restart.

The law wants consecutive numbers that identify an invoice uniquely. A
counter row per (series, period) is locked with SELECT … FOR UPDATE inside
the issuing transaction: two issues at the same moment queue on the row, and
an issue that fails rolls the counter back with everything else, so no
number is ever skipped or given twice. (On SQLite transactions are
IMMEDIATE, which serialises writers the same way.)
"""

from __future__ import annotations

import string
from datetime import date

from django.utils.translation import gettext as _

FIELDS = {"yyyy", "yy", "mm", "seq"}
# The fields that make a number unique within each period of a reset.
PERIOD_FIELDS = {"yearly": ({"yyyy", "yy"},), "monthly": ({"yyyy", "yy"}, {"mm"}), "never": ()}


def validate_pattern(pattern: str, reset: str) -> str | None:
    """Why `pattern` cannot number invoices restarting `reset`, or None when it can."""
    try:
        parsed = list(string.Formatter().parse(pattern or ""))
    except ValueError:
        return _("The pattern has an unmatched brace.")
    names = [name for _text, name, _spec, _conv in parsed if name is not None]
    unknown = set(names) - FIELDS
    if unknown:
        return _("Unknown field %(field)s; use {yyyy}, {yy}, {mm} and {seq}.") % {
            "field": "{" + sorted(unknown)[0] + "}"
        }
    if "seq" not in names:
        return _("The pattern needs the running number {seq}, e.g. {seq:04}.")
    for required in PERIOD_FIELDS.get(reset, ()):
        if not required & set(names):
            # Without the period in the number, a restart would repeat numbers.
            return _("A series that restarts %(reset)s needs %(field)s in the pattern.") % {
                "reset": _("every month") if reset == "monthly" else _("every year"),
                "field": " or ".join("{" + name + "}" for name in sorted(required, reverse=True)),
            }
    try:
        format_number(pattern, date(2026, 1, 1), 1)
    except (ValueError, TypeError, KeyError, IndexError):
        return _("The pattern cannot be filled in; check the format after the colon.")
    return None


def period_key(reset: str, issue_date: date) -> str:
    if reset == "monthly":
        return f"{issue_date:%Y-%m}"
    if reset == "yearly":
        return f"{issue_date:%Y}"
    return ""


def format_number(pattern: str, issue_date: date, seq: int) -> str:
    return pattern.format(
        yyyy=f"{issue_date:%Y}", yy=f"{issue_date:%y}", mm=f"{issue_date:%m}", seq=seq
    )


def take_number(series, issue_date: date) -> tuple[str, str, int]:
    """The next (number, period, seq) of `series`; call inside the issuing transaction."""
    from obieg.billing.models import SeriesCounter
    from obieg.core.errors import ApplicationError

    period = period_key(series.reset, issue_date)
    # ON CONFLICT DO NOTHING: the first issue of a period creates the row
    # without racing another one into a unique-constraint error.
    SeriesCounter.objects.bulk_create(
        [SeriesCounter(series=series, period=period)], ignore_conflicts=True
    )
    counter = SeriesCounter.objects.select_for_update().get(series=series, period=period)
    if counter.last_issue_date and issue_date < counter.last_issue_date:
        message = _(
            "Invoice %(last)s of this series is dated %(date)s; a later number cannot carry "
            "an earlier issue date."
        ) % {
            "last": format_number(series.pattern, counter.last_issue_date, counter.last_number),
            "date": counter.last_issue_date.isoformat(),
        }
        raise ApplicationError(message, field_errors={"issue_date": [message]})
    counter.last_number += 1
    counter.last_issue_date = issue_date
    counter.save(update_fields=["last_number", "last_issue_date"])
    return (
        format_number(series.pattern, issue_date, counter.last_number),
        period,
        counter.last_number,
    )
