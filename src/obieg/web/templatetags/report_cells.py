"""A report table's cell as the page shows it: amounts in PLN, months by name, percentages."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils import formats

from obieg.crm.reports.table import COUNT, MONEY, MONTH, PERCENT
from obieg.web.templatetags.sales_format import percent, pln

register = template.Library()


@register.filter
def report_cell(value, column) -> str:
    if value is None:
        return "—"
    if column.kind == MONEY:
        return pln(value)
    if column.kind == PERCENT and isinstance(value, Decimal):
        return percent(value)
    if column.kind == MONTH and isinstance(value, date):
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if column.kind == COUNT and isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


@register.filter
def is_number(column) -> bool:
    return column.kind in (COUNT, MONEY, PERCENT)


@register.filter
def zip_columns(row, columns):
    """Each cell with its column, so a cell knows how it is shown."""
    return zip(row, columns, strict=False)
