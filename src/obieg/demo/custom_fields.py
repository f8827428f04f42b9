"""The demo's custom fields: what an administrator of a PV installer would add first.

An industry choice on accounts, shown in the account list and its filters,
and the planned installation month on opportunities, so a newcomer sees the
fields in forms, lists, the API and exports without defining one.
"""

from __future__ import annotations

from obieg.customfields import services
from obieg.customfields.models import CustomField
from obieg.demo.organisation import Organisation

INDUSTRY = [
    {"value": "agriculture", "label_pl": "Rolnictwo", "label_en": "Agriculture"},
    {"value": "industry", "label_pl": "Przemysł", "label_en": "Industry"},
    {"value": "services", "label_pl": "Usługi", "label_en": "Services"},
    {"value": "household", "label_pl": "Gospodarstwo domowe", "label_en": "Household"},
]

FIELDS = (
    {
        "record_type": "account",
        "key": "industry",
        "label_pl": "Branża",
        "label_en": "Industry",
        "kind": CustomField.Kind.CHOICE,
        "choices": INDUSTRY,
        "in_list": True,
        "position": 1,
    },
    {
        "record_type": "opportunity",
        "key": "installation_date",
        "label_pl": "Planowany montaż",
        "label_en": "Planned installation",
        "kind": CustomField.Kind.DATE,
        "position": 1,
    },
)


def ensure_custom_fields(org: Organisation) -> None:
    """The demo fields, defined by the administrator unless their keys are there already."""
    admin = org.user("admin")
    for data in FIELDS:
        if not CustomField.objects.filter(record_type=data["record_type"], key=data["key"]):
            services.field_create(actor=admin, data=dict(data))
