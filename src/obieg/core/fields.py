"""Model fields for Polish identifiers: validated by python-stdnum, stored compact."""

from django.db import models

from obieg.core import identifiers


class _CompactIdentifierField(models.CharField):
    cleaner = staticmethod(lambda value: value)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        return type(self).cleaner(value)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs


class NipField(_CompactIdentifierField):
    cleaner = staticmethod(identifiers.clean_nip)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)


class RegonField(_CompactIdentifierField):
    cleaner = staticmethod(identifiers.clean_regon)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)


class PeselField(_CompactIdentifierField):
    cleaner = staticmethod(identifiers.clean_pesel)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)
