"""Valid, distinct NIP / REGON / PESEL numbers for demo data, derived from an index.

The check digits come from python-stdnum's own helpers, so the numbers pass
the same validation as user input. Each generator maps an index one-to-one
onto a number (a multiplicative scramble modulo 10**8, with a multiplier
coprime to 10), so numbers look random yet never repeat within a run.
"""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.pl import nip, pesel, regon

_SPAN = 10**8


def _scramble(index: int, multiplier: int, offset: int) -> int:
    return (index * multiplier + offset) % _SPAN


def demo_nip(index: int) -> str:
    """A valid NIP; distinct for distinct indexes below 10**8."""
    tail = f"{_scramble(index, 48_271, 12_345_678):08d}"
    # The first digit (part of the tax-office code) is never 0. A body whose
    # check digit would be 10 has no valid NIP, so the next first digit is tried.
    for first in range(1 + index % 9, 1 + index % 9 + 9):
        body = f"{(first - 1) % 9 + 1}{tail}"
        check = nip.checksum(body + "0")  # weight -1 on the last digit: sum mod 11
        if check < 10:
            return body + str(check)
    raise AssertionError("unreachable: some first digit always gives a check below 10")


def demo_regon(index: int) -> str:
    """A valid 9-digit REGON; distinct for distinct indexes below 10**8."""
    body = f"{_scramble(index, 69_621, 31_415_926):08d}"
    return body + regon.calc_check_digit(body)


_PESEL_FIRST_DAY = date(1950, 1, 1)
_PESEL_DAYS = 18_250  # about fifty years of birth dates


def demo_pesel(index: int) -> str:
    """A valid PESEL of someone born 1950–1999; distinct for indexes below 18,250,000."""
    born = _PESEL_FIRST_DAY + timedelta(days=(index * 7_919) % _PESEL_DAYS)
    serial = index // _PESEL_DAYS % 10_000
    month = born.month + (20 if born.year >= 2000 else 0)
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial:04d}"
    return body + pesel.calc_check_digit(body)
