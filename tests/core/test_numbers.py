"""Numbers typed the Polish way, as the pages show them, are read back exactly."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from obieg.core.numbers import DecimalInputField, parse_decimal


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3 900", "3900"),
        ("3 900,50", "3900.50"),
        ("3\u00a0900,50 zł", "3900.50"),  # copied from a page: non-breaking space and currency
        ("1 234 567,8", "1234567.8"),
        ("3900.50", "3900.50"),
        ("0,001", "0.001"),
        ("-12,5", "-12.5"),
        (" 610 PLN ", "610"),
    ],
)
def test_polish_and_plain_numbers_are_read(text, number):
    assert parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize("text", ["", "abc", "3.900,50", "39 00", "1,2,3", "12 zł 50", "1e5"])
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_form_field_reads_polish_input_in_either_language(language):
    field = DecimalInputField(max_digits=14, decimal_places=2, min_value=0)
    with translation.override(language):
        assert field.clean("3 900,50") == Decimal("3900.50")
        with pytest.raises(ValidationError) as not_a_number:
            field.clean("trzy tysiące")
        with pytest.raises(ValidationError) as too_precise:
            field.clean("1,005")
    assert [e.code for e in not_a_number.value.error_list] == ["invalid"]
    assert [e.code for e in too_precise.value.error_list] == ["max_decimal_places"]
