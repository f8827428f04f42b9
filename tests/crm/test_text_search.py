"""The one folding and the Polish sort key every list uses (core.text_search)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obieg.core.text_search import fold, name_key, phone_key, sort_key, sort_key_of


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("ŻÓŁW", "zolw"),
        ("Zażółć gęślą jaźń", "zazolc gesla jazn"),
        ("  Nowy   Sącz\t", "nowy sacz"),
        ("Müller & Söhne", "muller & sohne"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_drops_case_diacritics_and_extra_spaces(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("Dąbrowski", "Drukarnia"),
        ("Józef", "Julia"),
        ("Dabrowski", "Dąbrowski"),
        ("Lublin", "Łódź"),
        ("Łódź", "Malbork"),
        ("Sosnowiec", "Ślązak"),
        ("Zebra", "Źdźbło"),
        ("Źdźbło", "Żabka"),
        ("Ola", "Ósemka"),
        ("Ósemka", "Pola"),
        ("abc", "ABCD"),
        ("Anna Nowak", "Annabella"),
        ("Émile", "Eryk"),
    ],
)
def test_sort_key_follows_the_polish_alphabet(earlier, later):
    assert sort_key(earlier) < sort_key(later)


def test_sort_key_ignores_case():
    assert sort_key("KOWALSKI") == sort_key("kowalski")


@given(st.text(max_size=30))
def test_sort_key_is_plain_ascii_any_collation_orders_alike(text):
    key = sort_key(text)
    assert key == "" or key.isalnum()
    assert key.isascii() and key == key.lower()


def test_composite_key_sorts_by_first_part_then_the_next():
    keys = [
        sort_key_of("Nowak", "Zofia", limit=255),
        sort_key_of("Nowakowski", "Adam", limit=255),
        sort_key_of("Nowak", "Ądam", limit=255),
    ]
    assert sorted(keys) == [keys[2], keys[0], keys[1]]


@pytest.mark.parametrize(
    "variant",
    [
        "Solar Sp. z o.o.",
        "SOLAR sp. z o. o.",
        "Solar spółka z ograniczoną odpowiedzialnością",
        "solar",
    ],
)
def test_name_key_leaves_out_punctuation_and_legal_form(variant):
    assert name_key(variant) == "solar"


@pytest.mark.parametrize("phone", ["+48 600 100 200", "600-100-200", "0048600100200", "600100200"])
def test_phone_key_is_the_national_number(phone):
    assert phone_key(phone) == "600100200"
