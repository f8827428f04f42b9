"""Polish identifiers (NIP, REGON, PESEL) and postal codes.

Checksums come from python-stdnum; we never hand-roll them. Values are stored
in compact form (digits only) and shown formatted.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, pesel, regon

# ASCII digits only, and the whole value: `\d` and `$` would let "٠٠-٩٥٠" or "00-950\n" through.
POSTAL_CODE_RE = re.compile(r"[0-9]{2}-[0-9]{3}")


def _validated(module, value: str, message) -> str:
    try:
        return module.validate(value)
    except StdnumError as error:
        raise ValidationError(message, code="invalid") from error


def clean_nip(value: str) -> str:
    return _validated(nip, value, _("Invalid NIP: it must have 10 digits with a valid checksum."))


def clean_regon(value: str) -> str:
    return _validated(
        regon, value, _("Invalid REGON: it must have 9 or 14 digits with a valid checksum.")
    )


def clean_pesel(value: str) -> str:
    return _validated(
        pesel, value, _("Invalid PESEL: it must have 11 digits with a valid checksum.")
    )


def format_nip(value: str) -> str:
    return nip.format(value) if value else ""


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE_RE.fullmatch(value):
        raise ValidationError(_("Postal code must look like 00-950."), code="invalid")


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "dolnoslaskie", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", "kujawsko-pomorskie"
    LUBELSKIE = "lubelskie", "lubelskie"
    LUBUSKIE = "lubuskie", "lubuskie"
    LODZKIE = "lodzkie", "łódzkie"
    MALOPOLSKIE = "malopolskie", "małopolskie"
    MAZOWIECKIE = "mazowieckie", "mazowieckie"
    OPOLSKIE = "opolskie", "opolskie"
    PODKARPACKIE = "podkarpackie", "podkarpackie"
    PODLASKIE = "podlaskie", "podlaskie"
    POMORSKIE = "pomorskie", "pomorskie"
    SLASKIE = "slaskie", "śląskie"
    SWIETOKRZYSKIE = "swietokrzyskie", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "wielkopolskie", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", "zachodniopomorskie"
