"""Margins as people read them: rounded, never so far that a refusal hides.

Routing compares the exact margin with the minimum; a page that rounds
29.9998 % to "30,00%" beside a 30 % minimum shows no reason for the board.
So: two decimals, and as many more as it takes to read below the minimum.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from obieg.web.templatetags.sales_format import polish_number

PLACES = 2
# Past this many places a margin below the minimum is cut towards minus, so it still reads below.
MAX_PLACES = 8


def _rounded(value: Decimal, places: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def margin_text(margin: Decimal, minimum: Decimal | None = None) -> str:
    """0.2999977 against 0.30 → '29,9998%'; 0.3 → '30,00%'; 0.58 → '58,00%'."""
    percent, places = margin * 100, PLACES
    shown = _rounded(percent, places, ROUND_HALF_UP)
    if minimum is not None and margin < minimum:
        while shown >= minimum * 100 and places < MAX_PLACES:
            places += 1
            shown = _rounded(percent, places, ROUND_HALF_UP)
        if shown >= minimum * 100:
            shown = _rounded(percent, places, ROUND_FLOOR)
    return f"{polish_number(shown, places=places)}%"
