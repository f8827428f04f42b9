"""The designer's priced lines: an editable table on the task page, a list of dicts in the case.

Each round of changes reopens the design task with the previous lines in
the table, ready to edit: numbers written the Polish way ("3 900,50"), as
the pages show them. The table works without JavaScript (blank rows to
fill, a line cleared is dropped); `static/pv_installation/offer_lines.js`
adds and removes rows. Over the API the lines come as a list of objects,
or as text, one line per row: "description | quantity | unit | unit cost |
unit price".

A line may name a catalogue item by its code, as ordinary offer lines do
(`catalogue.offer_lines`: the same rule, picker script and messages). In the
table, a row that newly names an item takes its name, unit, price and cost
(the hidden `product_filled` says which item the row was last filled from, so
what the designer changes after is kept); a line sent as an object takes only
what it leaves out. The line keeps its own copy; its `product` key holds the
item's code, and the offer line made from it refers to the item. VAT is not
copied: the case decides the rate for the whole installation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.catalogue import offer_lines as catalogue_lines
from obieg.catalogue.selectors import products_by_code
from obieg.core.numbers import DecimalInputField, parse_decimal
from obieg.solutions.pv_installation.templatetags.pv_format import trimmed
from obieg.web.templatetags.sales_format import polish_number

COLUMNS = ("description", "quantity", "unit", "unit_cost", "unit_price")
# A table row's inputs: the catalogue item's code, the code its values were last
# copied from, and the priced columns (which alone make the API's text form).
ROW_INPUTS = ("product", "product_filled", *COLUMNS)
MAX_LINES = 200
BLANK_ROWS = 2
DEFAULT_UNIT = "szt."


class LineForm(forms.Form):
    """One priced line, checked as the offer will store it."""

    product = forms.CharField(label=_("Catalogue item"), required=False, max_length=250)
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

    def __init__(self, *args, items=None, kept=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items or {}
        self.kept = kept

    def clean_product(self):
        return catalogue_lines.resolve(self.cleaned_data["product"], self.items, self.kept)


def _is_blank(row: dict[str, Any]) -> bool:
    return all(str(row.get(name) or "").strip() == "" for name in ("product", *COLUMNS))


def _named_items(rows: list[dict[str, Any]]) -> dict:
    """The catalogue items the rows name, by upper-case code (one query, none if no row does)."""
    return products_by_code(catalogue_lines.code_of(str(row.get("product") or "")) for row in rows)


def _with_item(row: dict[str, Any], items: dict) -> dict[str, Any]:
    """The row with what it takes from the catalogue item it names."""
    if "product_filled" in row:  # the table on the page: the picker's own rule
        return {**row, **catalogue_lines.fill_row(row, items)}
    # A line sent as an object: what it leaves out comes from its item.
    product = items.get(catalogue_lines.code_of(str(row.get("product") or "")).upper())
    if product is None:
        return row
    filled = catalogue_lines.copy_from_catalogue({**row, "product": product})
    return {**filled, "product": product.code}


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
        # Upper-case codes of the items the case's lines had: a withdrawn one stays on them.
        self.kept: frozenset[str] = frozenset()

    def keep_items_of(self, lines: Any) -> None:
        """Let the lines of the last round keep their items, even withdrawn ones."""
        try:
            rows = _rows(lines)
        except forms.ValidationError:
            rows = []
        self.kept = frozenset(
            catalogue_lines.code_of(str(row.get("product") or "")).upper() for row in rows
        ) - {""}

    def to_python(self, value) -> list[dict[str, Any]]:
        rows = [row for row in _rows(value) if not _is_blank(row)]
        if len(rows) > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(count)d lines."), params={"count": MAX_LINES}, code="max_lines"
            )
        items = _named_items(rows)
        lines, errors = [], []
        for number, row in enumerate(rows, start=1):
            row = _with_item(row, items)
            form = LineForm(
                data={name: row.get(name, "") for name in ("product", *COLUMNS)},
                items=items,
                kept=self.kept,
            )
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
            line = {
                "description": data["description"],
                "quantity": data["quantity"],
                "unit": data["unit"] or DEFAULT_UNIT,
                "unit_cost": data["unit_cost"] if data["unit_cost"] is not None else Decimal(0),
                "unit_price": data["unit_price"],
            }
            if data["product"] is not None:  # free-text lines keep their old shape
                line["product"] = data["product"].code
            lines.append(line)
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def bound_data(self, data, initial):
        """The table shown again after an error: rows that named an item show its values."""
        try:
            rows = _rows(data)
        except forms.ValidationError:
            return data
        if not any("product_filled" in row and row.get("product") for row in rows):
            return data
        items = _named_items(rows)
        return [_with_item(row, items) for row in rows]

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
            if match and match["column"] in ROW_INPUTS:
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
             else str(row.get(column) or "") for column in ROW_INPUTS}
            for row in rows
        ]  # fmt: skip
        for row, values in zip(shown, rows, strict=True):
            if "product_filled" not in values:
                # A saved line's values came from its item (and were maybe changed since).
                row["product_filled"] = row["product"]
        shown += [dict.fromkeys(ROW_INPUTS, "") for _blank in range(BLANK_ROWS)]
        context["widget"]["rows"] = shown
        # The catalogue's picker (catalogue/_picker.html): its script asks the server, which
        # answers only catalogue readers, so the page lists no items itself (a form has no
        # user to ask); without the script, a code typed in fills the line on saving.
        context["widget"]["picker"] = {"enabled": True, "options": [], "more": False}
        context["widget"]["columns"] = [
            (column, LineForm.base_fields[column].label) for column in ("product", *COLUMNS)
        ]
        context["widget"]["invalid"] = "is-invalid" in (attrs or {}).get("class", "")
        return context
