"""Invoice dates against the Polish calendar: deadlines on business days, holidays pointed out.

A payment term ending on a day off moves to the next business day (art. 115
of the Civil Code). An invoice may be issued on any day — the VAT act does
not forbid a holiday — but an issue date on a public holiday (24 December
since 2025) is usually a slip, so it is flagged for a person to look at,
never refused.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from obieg.core.business_days import holiday_name, is_business_day, next_business_day


def date_warnings(*, issue_date: date, due_date: date | None = None) -> list[str]:
    """What a person should check about these dates; an empty list when they are ordinary."""
    warnings = []
    holiday = holiday_name(issue_date)
    if holiday:
        warnings.append(
            _("The issue date %(date)s is a public holiday (%(holiday)s); check it is right.")
            % {"date": issue_date.strftime("%d.%m.%Y"), "holiday": holiday}
        )
    if due_date is not None and not is_business_day(due_date):
        warnings.append(
            _(
                "The due date %(date)s is not a business day; the buyer may pay on "
                "%(next)s without delay."
            )
            % {
                "date": due_date.strftime("%d.%m.%Y"),
                "next": next_business_day(due_date).strftime("%d.%m.%Y"),
            }
        )
    return warnings
