"""Bank account numbers and the NIP form KSeF accepts."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError

# FA(3) TNrNIP: real NIPs never start with 0 nor have 00 after the first digit
# (tax office codes), and KSeF refuses such numbers even with a valid checksum.
KSEF_NIP_RE = re.compile(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}")


def clean_iban(value: str) -> str:
    """A valid IBAN in compact form; a bare 26-digit Polish NRB gets its PL prefix."""
    compact = iban.compact(value or "")
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    try:
        return iban.validate(compact)
    except StdnumError as error:
        raise ValidationError(
            _("Invalid bank account: it must be an IBAN with a valid checksum."), code="invalid"
        ) from error


def format_iban(value: str) -> str:
    """'PL61109010140000071219812874' → 'PL61 1090 1014 0000 0712 1981 2874'."""
    return iban.format(value) if value else ""


def nrb(value: str) -> str:
    """The account number as KSeF and Polish banks expect it: NRB for PL, else the IBAN."""
    return value[2:] if value.startswith("PL") else value


def ksef_accepts_nip(value: str) -> bool:
    return bool(KSEF_NIP_RE.fullmatch(value or ""))
