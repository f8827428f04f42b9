"""Forms of the offer pages: the header and a formset of lines."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.catalogue import offer_lines as catalogue_lines
from obieg.catalogue.models import Product
from obieg.core.errors import ApplicationError
from obieg.core.inputs import DateInput
from obieg.core.money import VatRate
from obieg.core.numbers import DecimalInputField
from obieg.sales.models import Offer

LINE_ROWS_EMPTY = 3
# The service names line errors "lines[<position>].<field>", counting from 1.
LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


OFFER_WIDGETS = {
    "valid_until": DateInput(),
    "notes": forms.Textarea(attrs={"rows": 3}),
}


class OfferForm(forms.ModelForm):
    """The header of a new offer, optionally tied to one of the account's opportunities."""

    class Meta:
        model = Offer
        fields = ["title", "opportunity", "valid_until", "notes"]
        widgets = OFFER_WIDGETS

    def __init__(self, *args, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        # The account's own visible opportunities: a short list, never the table.
        self.fields["opportunity"].queryset = opportunities


class OfferEditForm(forms.ModelForm):
    """The header of a draft offer; its opportunity stays what it was."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Offer
        fields = ["title", "valid_until", "notes"]
        widgets = OFFER_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision


# What a line hands to the service (sales.services.LINE_FIELDS).
LINE_FIELDS = ("product", "description", "quantity", "unit", "unit_cost", "unit_price", "vat_rate")


class OfferLineForm(forms.Form):
    """One line: free text, or filled from a catalogue item (obieg.catalogue.offer_lines)."""

    product = forms.CharField(
        label=_("Catalogue item"),
        required=False,
        max_length=250,
        widget=forms.TextInput(
            attrs={
                "size": 10,
                "autocomplete": "off",
                "list": "catalogue-items",
                "placeholder": _("code"),
                "data-catalogue-picker": "",
            }
        ),
    )
    # The code the line's values were last copied from; see catalogue.offer_lines.
    product_filled = forms.CharField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = DecimalInputField(
        label=_("Quantity"),
        min_value=Decimal("0.001"),
        max_digits=12,
        decimal_places=3,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="szt.")
    unit_cost = DecimalInputField(
        label=_("Unit cost"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    unit_price = DecimalInputField(
        label=_("Unit price (net)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=VatRate.choices, initial=VatRate.R23)

    def __init__(self, *args, items=None, kept=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items or {}
        self.kept = kept

    def clean_product(self):
        return catalogue_lines.resolve(self.cleaned_data["product"], self.items, self.kept)


class BaseOfferLineFormSet(forms.BaseFormSet):
    def __init__(self, data=None, *args, initial=None, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        # The catalogue items the rows and the saved lines name, read once for all rows.
        items = catalogue_lines.named_items(data, prefix, initial or ())
        if data is not None:
            # Rows that newly name an item take its values before they are validated
            # (and shown again, if anything is wrong).
            data = catalogue_lines.fill_rows(data, prefix, items)
        kept = {catalogue_lines.code_of(row.get("product")).upper() for row in initial or ()}
        kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "items": items, "kept": kept}
        super().__init__(data, *args, initial=initial, **kwargs)

    def _kept_forms(self) -> list[forms.Form]:
        """Saved lines unless ticked for deletion, plus the blank rows the user filled in."""
        kept = []
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def service_lines(self) -> list[dict]:
        """The lines to save, in the order shown; blank and deleted rows are left out."""
        return [
            {name: form.cleaned_data[name] for name in LINE_FIELDS} for form in self._kept_forms()
        ]

    def show_refusal(self, error: ApplicationError) -> bool:
        """Put the service's line errors beside their fields; False when none named a line."""
        kept = self._kept_forms()
        placed = False
        for key, messages in error.field_errors.items():
            match = LINE_ERROR.match(key)
            if not match or int(match[1]) > len(kept):
                continue
            form, field = kept[int(match[1]) - 1], match[2]
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
            placed = True
        return placed


OfferLineFormSet = forms.formset_factory(
    OfferLineForm, formset=BaseOfferLineFormSet, extra=LINE_ROWS_EMPTY, can_delete=True
)


def _plain(quantity: Decimal) -> Decimal:
    """2.000 → 2 and 2.500 → 2.5, so "20,000" is never read as twenty thousand."""
    whole = quantity.to_integral_value()
    return whole if quantity == whole else quantity.normalize()


def line_initial(offer: Offer) -> list[dict]:
    """The offer's saved lines as formset initial data."""
    lines = list(offer.lines.all())
    codes = dict(
        Product.objects.filter(
            pk__in={line.product_id for line in lines if line.product_id}
        ).values_list("pk", "code")
    )
    rows = []
    for line in lines:
        code = codes.get(line.product_id, "")
        values = {name: getattr(line, name) for name in LINE_FIELDS if name != "product"}
        rows.append(
            {**values, "quantity": _plain(line.quantity), "product": code, "product_filled": code}
        )
    return rows


# Keys are those of sales.selectors.OFFER_ORDERINGS.
SORT_LABELS = {
    "newest": _("Newest"),
    "number": _("Number"),
    "value": _("Value"),
}
