"""The record types that can be imported and exported, by the key used in addresses."""

from __future__ import annotations

from obieg.dataio.types.accounts import AccountType
from obieg.dataio.types.base import RecordType
from obieg.dataio.types.catalogue import ProductType
from obieg.dataio.types.contacts import ContactType
from obieg.dataio.types.leads import LeadType
from obieg.dataio.types.opportunities import OpportunityType

RECORD_TYPES: dict[str, RecordType] = {
    kind.key: kind
    for kind in (AccountType(), ContactType(), LeadType(), OpportunityType(), ProductType())
}


def record_type_choices() -> list[tuple[str, str]]:
    return [(key, kind.label) for key, kind in RECORD_TYPES.items()]
