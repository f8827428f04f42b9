"""The browser's own date and time pickers, one way for every form.

`<input type="date">` only takes its value as `YYYY-MM-DD` (and
`datetime-local` as `YYYY-MM-DDTHH:MM`). Django renders a date in the active
language's input format (`06.12.2026` in Polish), which the browser discards,
so a form in Polish showed its date fields blank - an expert opinion's
delivery date among them. These widgets always render the ISO form the
browser reads; what the user sees is the browser's localised picker.
"""

from __future__ import annotations

from django import forms

DATE_VALUE = "%Y-%m-%d"
DATETIME_LOCAL_VALUE = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE_VALUE)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_VALUE)


class OwnIds:
    """A form drawn on a page beside other forms with fields of the same names.

    Its inputs get ids of their own (`id_<ids>_<field>`), so every label
    points at its own input and no id repeats on the page. Names stay as
    they are: the view reading the POST needs no prefix.
    """

    ids = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)
