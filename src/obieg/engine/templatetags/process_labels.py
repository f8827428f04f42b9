"""The names of process elements in the reader's language (engine/labels.py), for templates.

{% load process_labels %}
{{ item|task_label }}                      a work item (its case's definition loaded with it)
{{ definition|process_label }}             a process version's name
{% element_label case.definition event.element_id event.name %}   anything else
"""

from __future__ import annotations

from django import template

from obieg.engine import labels

register = template.Library()


@register.filter
def task_label(item) -> str:
    """A work item's (or external task's) name; read `item.case.definition` in the same query."""
    return labels.element_label(item.case.definition, item.element_id, item.name)


@register.filter
def process_label(definition) -> str:
    return labels.process_label(definition)


@register.filter
def lane_label(item) -> str:
    return labels.lane_label(item.case.definition, item.lane)


@register.simple_tag
def element_label(definition, element_id, name) -> str:
    return labels.element_label(definition, element_id or "", name or "")


@register.filter
def case_title(case) -> str:
    """A case's title; one that is its process's name (no subject) in the reader's language.

    Reads `case.definition`: load it with the case (select_related) in lists.
    """
    return labels.case_label(case)
