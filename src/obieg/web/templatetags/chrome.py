"""`{% fixed %}…{% endfixed %}`: template text drawn once per process for each language.

The layout every page extends (web/base.html) and its menu spend most of their
time on text that is the same for every request in a language: some 25
`{% url %}`s (about 25 µs each), the static files' hashed names, translated
labels. Inside `{% fixed %}` that text is rendered the first time and then
given back as it was, for the same

- active language, script prefix (SCRIPT_NAME) and URL configuration (a new
  resolver after `clear_url_caches()`, a request's own `urlconf`),
- autoescaping, and
- values named after the tag: `{% fixed nav_menu.key %}` draws the menu once
  for each set of entries a user may see.

What it encloses may depend on nothing else: no user, request, CSRF token or
page variable (those stay outside, between two fixed parts), no `{% block %}`
(a child template's override would be ignored), no namespaced URL of an app
installed more than once (`current_app`). Tests that change settings
(static storage, URLs) start again from empty: every memo is dropped on
`setting_changed`. The memo lives on the compiled node, so reloaded templates
(the development server's autoreload) start afresh too.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# Bumped when settings change (tests): each node drops what it kept before.
_generation = 0
# Distinct keys one node keeps (languages x menus seen); past it, it starts again.
MAX_KEPT = 256


def _settings_changed(**kwargs) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="obieg.web.templatetags.chrome")


class FixedNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, vary_on: list[FilterExpression]):
        self.nodelist = nodelist
        self.vary_on = vary_on
        self._kept: dict = {}
        self._generation = _generation

    def render(self, context: template.Context) -> str:
        key = (
            get_language(),
            get_script_prefix(),
            get_resolver(get_urlconf()),
            context.autoescape,
            *(value.resolve(context) for value in self.vary_on),
        )
        if self._generation != _generation:
            self._kept, self._generation = {}, _generation
        text = self._kept.get(key)
        if text is None:
            # Its own scope: an `{% … as name %}` inside sets nothing the page sees, drawn or kept.
            with context.push():
                text = self.nodelist.render(context)
            if len(self._kept) >= MAX_KEPT:
                self._kept = {}
            self._kept[key] = text
        return text


@register.tag
def fixed(parser, token):
    """`{% fixed [value …] %}…{% endfixed %}`: see the module's docstring."""
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    # What would be wrong once kept: a block a child template overrides, a per-request token.
    for kind in (BlockNode, CsrfTokenNode):
        if nodelist.get_nodes_by_type(kind):
            raise template.TemplateSyntaxError(f"{{% fixed %}} cannot enclose a {kind.__name__}")
    return FixedNode(nodelist, vary_on)
