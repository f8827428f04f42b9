"""The form a case's task names by `schema:<key>`: found in the files of the case's version.

A deployed version never changes, so each (version, key) is built once per
process; the checksum is part of the cache key so a reused row id never
serves another version's form.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from lxml import etree

from obieg.engine.form_schema import django_form, embedded, schema


class UnavailableForm(forms.Form):
    """Stands in for a schema that cannot be found: nothing can be submitted through it."""

    def clean(self):
        raise forms.ValidationError(
            _("This task's form cannot be found in its process version; tell an administrator.")
        )


# (version id, checksum, key) -> form class; bounded, versions are few and never change.
_classes: dict[tuple[int, str, str], type[forms.Form] | None] = {}
_CACHE_LIMIT = 512


def form_class_for(key: str, case) -> type[forms.Form]:
    """The form class of schema `key` in the version `case` runs on."""
    definition = getattr(case, "definition", None) if case is not None else None
    if definition is None:
        return UnavailableForm
    cache_key = (definition.pk, definition.checksum, key)
    if cache_key not in _classes:
        if len(_classes) >= _CACHE_LIMIT:
            _classes.clear()
        found = schema_for(definition, key)
        usable = found is not None and not schema.problems(found)
        _classes[cache_key] = (
            django_form.form_class(found, name=f"SchemaForm_{key}") if usable else None
        )
    return _classes[cache_key] or UnavailableForm


def schema_for(definition, key: str):
    """The schema `key` in a version's files: its process file first, then the others."""
    names = sorted(definition.sources, key=lambda name: name != definition.source_name)
    for name in names:
        if name.endswith(".dmn") or key not in definition.sources[name]:
            continue
        try:
            root = etree.fromstring(definition.sources[name].encode("utf-8"))
        except etree.XMLSyntaxError:
            continue
        found = embedded.schemas_in_root(root).get(key)
        if found is not None:
            return found
    return None
