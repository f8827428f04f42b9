"""The designer's priced lines: an editable table on the task page, a list of dicts in the case.

Each round of changes reopens the design task with the previous lines in
the table, ready to edit: numbers written the Polish way ("3 900,50"), as
the pages show them. The table works without JavaScript (blank rows to
fill, a line cleared is dropped); `static/pv_installation/offer_lines.js`
adds and removes rows. Over the API the lines come as a list of objects,
or as text, one line per row: "description | quantity | unit | unit cost |
unit price".
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.numbers import DecimalInputField, parse_decimal
from obieg.solutions.pv_installation.templatetags.pv_format import trimmed
from obieg.web.templatetags.sales_format import polish_number

COLUMNS = ("description", "quantity", "unit", "unit_cost", "unit_price")
MAX_LINES = 200
BLANK_ROWS = 2
DEFAULT_UNIT = "szt."


class LineForm(forms.Form):
    """One priced line, checked as the offer will store it."""

    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = DecimalInputField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=12, decimal_places=3
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    unit_cost = DecimalInputField(
        label=_("Unit cost"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    unit_price = DecimalInputField(
        label=_("Unit price (net)"), min_value=0, max_digits=14, decimal_places=2
    )


def _is_blank(row: dict[str, Any]) -> bool:
    return all(str(row.get(column) or "").strip() == "" for column in COLUMNS)


def _rows_from_text(text: str) -> list[dict[str, str]]:
    rows = []
    for raw in text.strip().splitlines():
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        if len(parts) != len(COLUMNS):
            # Keep the whole text in the description: the line's error says what is missing.
            parts = [raw.strip(), "", "", "", ""]
        rows.append(dict(zip(COLUMNS, parts, strict=True)))
    return rows


def _rows(value: Any) -> list[dict[str, Any]]:
    """Submitted lines as rows of raw values, whatever form they came in."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return _rows_from_text(value)
    if isinstance(value, list | tuple) and all(isinstance(row, dict) for row in value):
        return [dict(row) for row in value]
    raise forms.ValidationError(_("Lines must be a list of objects or text."), code="invalid")


class OfferLinesField(forms.Field):
    """Cleans the lines to dicts of Decimal values; each error names its line."""

    default_error_messages = {"required": _("Price at least one line.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", OfferLinesWidget)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[dict[str, Any]]:
        rows = [row for row in _rows(value) if not _is_blank(row)]
        if len(rows) > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(count)d lines."), params={"count": MAX_LINES}, code="max_lines"
            )
        lines, errors = [], []
        for number, row in enumerate(rows, start=1):
            form = LineForm(data={column: row.get(column, "") for column in COLUMNS})
            if not form.is_valid():
                for name, messages in form.errors.items():
                    label = form.fields[name].label
                    for message in messages:
                        errors.append(
                            forms.ValidationError(
                                _("Line %(n)d, %(field)s: %(message)s"),
                                params={"n": number, "field": label, "message": message},
                            )
                        )
                continue
            data = form.cleaned_data
            lines.append(
                {
                    "description": data["description"],
                    "quantity": data["quantity"],
                    "unit": data["unit"] or DEFAULT_UNIT,
                    "unit_cost": data["unit_cost"] if data["unit_cost"] is not None else Decimal(0),
                    "unit_price": data["unit_price"],
                }
            )
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data) -> bool:
        return True


def _shown(value: Any, places: int | None) -> str:
    """A stored number the Polish way ("3 900,00"); what a person typed stays as typed."""
    if value is None:
        return ""
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    if places is None:  # a quantity: as many decimals as it has, at most three
        return trimmed(text)
    return polish_number(parse_decimal(text), places=places)


_PLACES = {"quantity": None, "unit_cost": 2, "unit_price": 2}
_ROW_KEY = re.compile(r"^(?P<index>\d{1,3})-(?P<column>\w+)$")


class OfferLinesWidget(forms.Widget):
    """A table of lines: inputs named `<name>-<row>-<column>`."""

    template_name = "pv_installation/widgets/offer_lines.html"

    def value_from_datadict(self, data, files, name):
        if name in data:  # text or a list, from the API or a script
            return data.get(name)
        rows: dict[int, dict[str, str]] = {}
        prefix = f"{name}-"
        for key in data:
            match = _ROW_KEY.match(key[len(prefix) :]) if key.startswith(prefix) else None
            if match and match["column"] in COLUMNS:
                rows.setdefault(int(match["index"]), {})[match["column"]] = data.get(key)
        return [rows[index] for index in sorted(rows)] or None

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and not any(key.startswith(f"{name}-") for key in data)

    def id_for_label(self, id_):
        return f"{id_}-0-description" if id_ else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            rows = _rows(value)
        except forms.ValidationError:
            rows = []
        shown = [
            {column: _shown(row.get(column), _PLACES[column]) if column in _PLACES
             else str(row.get(column) or "") for column in COLUMNS}
            for row in rows
        ]  # fmt: skip
        shown += [dict.fromkeys(COLUMNS, "") for _blank in range(BLANK_ROWS)]
        context["widget"]["rows"] = shown
        context["widget"]["columns"] = [
            (column, LineForm.base_fields[column].label) for column in COLUMNS
        ]
        context["widget"]["invalid"] = "is-invalid" in (attrs or {}).get("class", "")
        return context
