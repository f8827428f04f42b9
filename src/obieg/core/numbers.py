"""Numbers as Polish users type them: "3 900", "3 900,50", "3900.50", "3 900,50 zł".

The pages write amounts the Polish way whatever the interface language
(`web.templatetags.sales_format`: "3 900,50 zł", thousands split by
non-breaking spaces); a form must take back what it shows. Django's own
localised input follows the interface language and drops spaces only when
thousand separators are switched on, so "3 900,50" failed in English and in
Polish alike.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms

# Any space between thousands: ordinary, non-breaking, narrow non-breaking, thin.
_SPACES = "[ \u00a0\u202f\u2009]"
_NUMBER = re.compile(
    rf"^(?P<sign>[-+]?)(?P<whole>\d{{1,3}}(?:{_SPACES}\d{{3}})+|\d+)(?:[.,](?P<fraction>\d+))?$"
)
_CURRENCY = re.compile(rf"{_SPACES}*(?:zł|pln)$", re.IGNORECASE)


def parse_decimal(text: str) -> Decimal:
    """The number `text` means; ValueError when it is not one.

    Thousands may be grouped by spaces (in threes, as the pages show them);
    the decimal separator is a comma or a dot; a trailing "zł" or "PLN" is
    allowed. "3.900,50" (dots for thousands) is refused rather than guessed.
    """
    value = _CURRENCY.sub("", str(text).strip()).strip()
    match = _NUMBER.match(value)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    whole = re.sub(_SPACES, "", match["whole"])
    digits = f"{match['sign']}{whole}" + (f".{match['fraction']}" if match["fraction"] else "")
    try:
        return Decimal(digits)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits digits only
        raise ValueError(f"not a number: {text!r}") from error


class DecimalInputField(forms.DecimalField):
    """A DecimalField reading Polish input ("3 900,50") in any interface language.

    A text input, not type=number: browsers refuse spaces and commas there.
    """

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return parse_decimal(str(value))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
