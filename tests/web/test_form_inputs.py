"""Form inputs as people meet them: visible choices, dates the browser keeps, Polish amounts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from obieg.core import clock
from obieg.core.inputs import DateInput, DateTimeLocalInput
from obieg.core.money import MoneyField
from obieg.solutions.expert_opinions.forms import DeliverForm

WARSAW = ZoneInfo("Europe/Warsaw")


class ChoicesForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("yes", "Approve"), ("no", "Return")], widget=forms.RadioSelect
    )
    crews = forms.MultipleChoiceField(
        label="Crews",
        choices=[("a", "North"), ("b", "South")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _html(form) -> str:
    return render_to_string("web/includes/form_fields.html", {"form": form})


def test_radio_buttons_and_checkboxes_are_drawn_as_form_checks():
    html = _html(ChoicesForm())
    assert html.count('class="form-check-input"') == 4
    assert "form-control" not in html  # a radio with form-control is an invisible box
    assert '<label class="form-check-label" for="id_decision_0">Approve</label>' in html
    assert "<legend" in html


def test_a_wrong_choice_is_marked_next_to_the_choices():
    form = ChoicesForm(data={"decision": "maybe"})
    assert not form.is_valid()
    html = _html(form)
    assert 'class="form-check-input is-invalid"' in html
    assert 'aria-describedby="id_decision_errors"' in html and 'id="id_decision_errors"' in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_date_inputs_keep_their_value_in_every_language(language):
    # The browser only reads YYYY-MM-DD; "06.12.2026" (Polish input format) shows blank.
    with translation.override(language):
        assert 'value="2026-12-06"' in DateInput().render("d", date(2026, 12, 6))
        rendered = DateTimeLocalInput().render("at", "2026-12-06 09:30")
        assert 'type="datetime-local"' in rendered


def test_an_expert_opinions_delivery_date_starts_at_today_in_polish(db):
    with clock.frozen(datetime(2026, 12, 6, 10, tzinfo=WARSAW)), translation.override("pl"):
        html = str(DeliverForm()["delivered_on"])
    assert 'type="date"' in html and 'value="2026-12-06"' in html


def test_money_fields_of_models_take_polish_amounts():
    field = MoneyField(max_digits=14, decimal_places=2).formfield()
    assert field.clean("150 000,50") == Decimal("150000.50")
    assert field.clean("150\u00a0000,50 zł") == Decimal("150000.50")
    with pytest.raises(forms.ValidationError):
        field.clean("150.000,50")  # dots for thousands are refused, not guessed


def _forms_of_obieg():
    """Every form class the application defines (its modules imported first)."""
    import importlib
    import pkgutil

    import obieg

    for module in pkgutil.walk_packages(obieg.__path__, "obieg."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith("obieg.")}


def test_every_number_field_of_every_form_reads_polish_amounts():
    """ "150 000,50" is how the app writes an amount, so every form must read it back:
    a plain DecimalField refuses the space in any language, and in English the comma."""
    from obieg.core.numbers import DecimalInputField

    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _forms_of_obieg()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DecimalField) and not isinstance(field, DecimalInputField)
    ]
    assert not plain, f"DecimalField instead of DecimalInputField: {plain}"
