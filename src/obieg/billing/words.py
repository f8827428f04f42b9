"""The amount due in words, in Polish, as a Polish invoice shows it ("słownie")."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from obieg.core.money import to_grosz


def amount_in_words(amount: Decimal) -> str:
    """1234.56 → 'tysiąc dwieście trzydzieści cztery złote, pięćdziesiąt sześć groszy'.

    num2words gets a Decimal, never a float, so 0.29 stays 29 groszy.
    """
    amount = to_grosz(Decimal(amount))
    words = num2words(abs(amount), lang="pl", to="currency", currency="PLN")
    return f"minus {words}" if amount < 0 else words
