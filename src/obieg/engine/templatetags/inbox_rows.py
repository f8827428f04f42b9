"""`{% inbox_rows rows %}`: the inbox rows (engine/web/inbox_rows_html.py), with the CSRF token."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from obieg.engine.web.inbox_rows_html import rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_rows(context, rows) -> SafeString:
    # The page's token, as {% csrf_token %} reads it: one masked token for every form of the page.
    return rows_html(rows, context.get("csrf_token") or "")
