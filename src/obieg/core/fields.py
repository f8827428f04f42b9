"""Model fields for Polish identifiers: validated by python-stdnum, stored compact.

`to_python` only compacts ("526-000-12-46" → "5260001246") and never raises,
because Django also calls it to prepare query values and saved values: a
search for a partial NIP must not fail. The checksum is checked by the
field's validator, i.e. by `full_clean` (services, forms, serializers).
"""

from django.db import models
from stdnum.pl import nip, pesel, regon

from obieg.core import identifiers

FORMATTED_MAX_LENGTH = 24


def _unchanged(value: str, /) -> str:
    return value


class _CompactIdentifierField(models.CharField):
    compact = staticmethod(_unchanged)
    cleaner = staticmethod(_unchanged)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        return type(self).compact(value)

    def formfield(self, **kwargs):
        # Room for the formatted form people type ("PL 526-000-12-46"); it is
        # compacted to fit the column before it is saved.
        return super().formfield(**{"max_length": FORMATTED_MAX_LENGTH, **kwargs})

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value not in self.empty_values:
            type(self).cleaner(value)


class NipField(_CompactIdentifierField):
    compact = staticmethod(nip.compact)
    cleaner = staticmethod(identifiers.clean_nip)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)


class RegonField(_CompactIdentifierField):
    compact = staticmethod(regon.compact)
    cleaner = staticmethod(identifiers.clean_regon)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)


class PeselField(_CompactIdentifierField):
    compact = staticmethod(pesel.compact)
    cleaner = staticmethod(identifiers.clean_pesel)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)
