"""Widgets written by core/prepared_widgets.py print what Django's widget templates print.

Every case is rendered twice from the same bound field: through Django's own
template renderer and through PreparedWidgets, in Polish and English; the
HTML must be the same, byte for byte. The cases cover what the templates
treat with care: selected and unselected options, option groups, errors
(is-invalid, aria attributes), required and disabled, True/False/None and
number attributes, text that needs escaping and text already marked safe,
lazy labels, model choices, every <input> type, and widgets the renderer
leaves to the templates (radio lists, text areas, a callable value).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from obieg.core import prepared_widgets
from obieg.core.inputs import DateInput, DateTimeLocalInput
from obieg.core.models import User
from obieg.web.templatetags.obieg import control

TEMPLATES = DjangoTemplates()


class Everything(forms.Form):
    plain = forms.ChoiceField(
        required=False, choices=[("", _("all kinds")), ("a", "A & B"), ("b", '"quoted" <b>')]
    )
    required_choice = forms.ChoiceField(choices=[("x", "X"), ("y", _("city"))])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Group <1>", [("g1", "One"), ("g2", "Two")]), ("solo", "Solo")],
    )
    numbers = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(1, "one"), (2, "two"), (10, "ten")]
    )
    safe_label = forms.ChoiceField(
        required=False, choices=[("s", mark_safe("<em>safe</em>")), ("t", "<em>not</em>")]
    )
    many = forms.MultipleChoiceField(required=False, choices=[("p", "P"), ("q", "Q"), ("r", "R")])
    yes_no = forms.NullBooleanField(required=False)
    text = forms.CharField(
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, NIP or city"),
                "autofocus": True,
                "hidden": False,
                "data-n": 3,
                "data-safe": mark_safe("<ok>"),
            }
        ),
    )
    required_text = forms.CharField(help_text="Help & more")
    number = forms.DecimalField(required=False, max_digits=8, decimal_places=2)
    integer = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    day = forms.DateField(required=False, widget=DateInput())
    moment = forms.DateTimeField(required=False, widget=DateTimeLocalInput())
    django_day = forms.DateField(required=False)
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    tick = forms.BooleanField(required=False)
    disabled = forms.CharField(required=False, disabled=True, initial="fixed")
    radio = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[("r", "R")])
    notes = forms.CharField(required=False, widget=forms.Textarea)
    person = forms.ModelChoiceField(required=False, queryset=User.objects.order_by("id"))


DATA = [
    {},
    {
        "plain": "b",
        "required_choice": "y",
        "grouped": "g2",
        "numbers": "10",
        "safe_label": "s",
        "many": ["p", "r"],
        "yes_no": "true",
        "text": 'Łódź & "Kraków" <script>',
        "required_text": "x",
        "number": "1234.5",
        "integer": "7",
        "email": "a@example.com",
        "url": "example.com/a?b=1&c=2",
        "day": "2026-03-01",
        "moment": "2026-03-01T10:30",
        "django_day": "2026-03-01",
        "password": "p<w>",
        "hidden": "h&",
        "search": "s",
        "tick": "on",
        "radio": "r",
        "notes": "n\n<b>",
    },
    # Values that fail validation: every field shows its error state.
    {
        "plain": "nope",
        "grouped": "<g3>",
        "numbers": "3",
        "integer": "-1",
        "number": "abc",
        "email": "not an e-mail",
        "day": "2026-02-30",
        "many": ["z"],
        "yes_no": "maybe",
        "text": "x" * 30,
    },
]


def _both(field) -> tuple[str, str]:
    """The field through the `control` filter the pages use, by each renderer."""
    new = control(field)
    field.form.renderer = TEMPLATES
    old = control(field)
    field.form.renderer = prepared_widgets.RENDERER
    return str(new), str(old)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("data", DATA, ids=["empty", "selected", "errors"])
def test_every_widget_prints_what_the_django_templates_print(data, language):
    User.objects.create(first_name="Anna & <Ola>", username="anna")
    User.objects.create(username="bob")
    with translation.override(language):
        form = Everything(data or None, renderer=prepared_widgets.RENDERER)
        form.is_valid()
        assert form.errors or not data
        for field in form:
            new, old = _both(field)
            assert new == old, field.name
            # as_widget without classes too (the attributes come only from the widget).
            field.form.renderer = TEMPLATES
            old_plain = field.as_widget()
            field.form.renderer = prepared_widgets.RENDERER
            assert field.as_widget() == old_plain, field.name


def test_the_renderer_writes_the_plain_widgets_itself_and_hands_on_the_rest(monkeypatch):
    drawn_by_templates = []
    original = DjangoTemplates.render

    def through_templates(self, template_name, context, request=None):
        drawn_by_templates.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", through_templates)
    form = Everything(
        {"plain": "a", "text": "t", "tick": "on", "radio": "r"},
        renderer=prepared_widgets.RENDERER,
    )
    for name in ("plain", "grouped", "many", "text", "number", "day", "tick", "hidden"):
        control(form[name])
    assert drawn_by_templates == []

    control(form["radio"])
    control(form["notes"])
    assert drawn_by_templates == [
        "django/forms/widgets/radio.html",
        "django/forms/widgets/textarea.html",
    ]


def test_a_value_the_templates_would_call_or_localise_goes_to_them():
    class Odd(forms.Form):
        when = forms.ChoiceField(required=False, choices=[("d", date(2026, 3, 1))])
        amount = forms.ChoiceField(required=False, choices=[("m", Decimal("1234.5"))])
        called = forms.CharField(
            required=False, widget=forms.TextInput(attrs={"data-x": lambda: "called"})
        )

    with translation.override("pl"):
        form = Odd(renderer=prepared_widgets.RENDERER)
        for field in form:
            new, old = _both(field)
            assert new == old, field.name
        assert 'data-x="called"' in old
        # The date is printed in the language's format, not as str() gives it.
        assert ">1 marca 2026</option>" in str(control(form["when"]))


def test_the_input_templates_are_the_ones_that_only_include_input_html():
    from pathlib import Path

    import django

    folder = Path(django.__file__).parent / "forms/templates/django/forms/widgets"
    including = {
        f"django/forms/widgets/{path.name}"
        for path in folder.glob("*.html")
        if path.read_text().strip() == '{% include "django/forms/widgets/input.html" %}'
    }
    assert prepared_widgets.INPUT_TEMPLATES == including | {"django/forms/widgets/input.html"}
