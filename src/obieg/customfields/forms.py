"""Forms: the administrator's field definition, and the custom inputs of record forms."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obieg.core.inputs import DateInput
from obieg.core.numbers import DecimalInputField
from obieg.core.text_search import fold
from obieg.customfields import selectors, values
from obieg.customfields.models import CustomField

_CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# -- the administrator's form --------------------------------------------------------------


def choices_text(field: CustomField) -> str:
    """The offered choices as the form's lines: `value | Polish label | English label`."""
    return "\n".join(
        " | ".join(part for part in (c["value"], c["label_pl"], c.get("label_en", "")) if part)
        for c in field.active_choices()
    )


def parse_choices(text: str) -> list[dict]:
    """The lines of the choices box; ValidationError naming the line that is wrong."""
    choices: list[dict] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part.strip() for part in line.split("|")]
        if not any(parts):
            continue
        if len(parts) > 3:
            raise forms.ValidationError(
                _("Line %(line)d: write value | Polish label | English label.") % {"line": number}
            )
        if len(parts) == 1:
            # Only a label: the value is made from it ("Złoty klient" -> "zloty_klient").
            label_pl, label_en = parts[0], ""
            value = re.sub(r"[^a-z0-9]+", "_", fold(label_pl)).strip("_")[:40] or "choice"
        else:
            value, label_pl = parts[0], parts[1]
            label_en = parts[2] if len(parts) == 3 else ""
        if not _CHOICE_VALUE.match(value):
            raise forms.ValidationError(
                _(
                    "Line %(line)d: the value “%(value)s” may hold only small letters, digits, "
                    "- and _ (at most 40)."
                )
                % {"line": number, "value": value}
            )
        if not label_pl or len(label_pl) > 100 or len(label_en) > 100:
            raise forms.ValidationError(
                _("Line %(line)d: a label of 1–100 characters is needed.") % {"line": number}
            )
        if value in seen:
            raise forms.ValidationError(
                _("Line %(line)d: the value “%(value)s” is used twice.")
                % {"line": number, "value": value}
            )
        seen.add(value)
        choices.append({"value": value, "label_pl": label_pl, "label_en": label_en})
    return choices


class FieldDefinitionForm(forms.ModelForm):
    """A new field (all of it) or an existing one (what may change)."""

    choices_text = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "gold | Złoty | Gold"}),
        help_text=gettext_lazy(
            "For a choice field: one choice a line, “value | Polish label | English label” "
            "(the value is what is stored and exported; only the Polish label is needed). "
            "A choice taken off the list stays on the records that hold it, marked as no "
            "longer offered."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CustomField
        fields = [
            "record_type",
            "label_pl",
            "label_en",
            "key",
            "kind",
            "required",
            "in_list",
            "position",
        ]
        help_texts = {
            "key": gettext_lazy(
                "How the API, filters and import files name the field (e.g. customer_tier); "
                "it cannot be changed later."
            ),
            "kind": gettext_lazy("It cannot be changed later."),
            "in_list": gettext_lazy("A column in the list and a filter above it."),
            "position": gettext_lazy("Fields are shown in the order of this number."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("record_type", "key", "kind"):
                del self.fields[name]
            self.fields["revision"].initial = self.instance.revision
            self.fields["choices_text"].initial = choices_text(self.instance)

    def clean_choices_text(self) -> list[dict]:
        return parse_choices(self.cleaned_data.get("choices_text") or "")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        choices = cleaned.pop("choices_text", None)
        if choices is None:
            return cleaned  # its own error is shown
        if kind == CustomField.Kind.CHOICE:
            if not choices:
                self.add_error("choices_text", _("A choice field needs at least one choice."))
            cleaned["choices"] = choices
        elif choices and not self.instance.pk:
            self.add_error("choices_text", _("Only a choice field has choices."))
        return cleaned


# -- custom inputs in record forms ---------------------------------------------------------


def form_field(field: CustomField, current: str | None) -> forms.Field:
    """The input of one custom field; a retired choice the record holds stays selectable."""
    common = {"label": field.label, "required": field.required}
    if field.kind == CustomField.Kind.NUMBER:
        return DecimalInputField(validators=[values.check_number], **common)
    if field.kind == CustomField.Kind.DATE:
        return forms.DateField(widget=DateInput(), **common)
    if field.kind == CustomField.Kind.CHOICE:
        offered = [
            (c["value"], values.choice_label(field, c["value"])) for c in field.active_choices()
        ]
        if values.is_retired(field, current):
            label = _("%(label)s (no longer offered)") % {
                "label": values.choice_label(field, current)
            }
            offered.append((current, label))
        return forms.ChoiceField(choices=[("", "—"), *offered], **common)
    return forms.CharField(max_length=values.TEXT_MAX, **common)


class CustomFieldsFormMixin:
    """Adds a record type's active custom fields to a ModelForm and hands back `custom`.

    The inputs are named `custom_<key>`; `clean()` turns their values into the
    record's whole `custom` object (values of deactivated fields kept) under
    `cleaned_data["custom"]`, which the views pass to the services like any
    other field. An input missing from bound data (an import file without that
    column, never a page) keeps the record's value.
    """

    custom_record_type: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.custom or {}
        self.custom_fields = selectors.active_fields(self.custom_record_type)
        for field in self.custom_fields:
            current = stored.get(field.key)
            input_field = form_field(field, current)
            if current is not None:
                self.initial[field.form_name] = values.typed(field, current)
            if (
                self.is_bound
                and self.instance.pk
                and self.add_prefix(field.form_name) not in self.data
            ):
                input_field.disabled = True
                input_field.required = False
            self.fields[field.form_name] = input_field

    def custom_inputs(self) -> list:
        """The bound inputs of the custom fields, for the templates."""
        return [self[field.form_name] for field in self.custom_fields]

    def clean(self):
        cleaned = super().clean()
        custom = dict(self.instance.custom or {})
        for field in self.custom_fields:
            name = field.form_name
            if name not in cleaned:
                continue  # refused: its error is on the input
            value = cleaned.pop(name)
            if self.fields[name].disabled:
                continue
            try:
                stored = values.canonical(field, value, previous=custom.get(field.key))
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if stored is None:
                custom.pop(field.key, None)
            else:
                custom[field.key] = stored
        cleaned["custom"] = values.ordered(custom)
        # The import compares the record with the form's instance to list what changes.
        self.instance.custom = cleaned["custom"]
        return cleaned
