"""Forms of the catalogue pages: the list's filters and the item form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.catalogue.models import Product
from obieg.catalogue.selectors import ACTIVE, ALL, INACTIVE, PRODUCT_SORTS, ProductFilters

SORT_LABELS = {
    "name": _("name"),
    "code": _("code"),
    "price": _("price"),
    "changed": _("recently changed"),
}
STATE_CHOICES = [(ACTIVE, _("active")), (INACTIVE, _("inactive")), (ALL, _("all"))]


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *Product.Kind.choices]
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in PRODUCT_SORTS],
    )

    def filters(self) -> ProductFilters:
        """The valid filters; a bad value in the address is ignored, not an error page."""
        self.is_valid()
        data = self.cleaned_data
        return ProductFilters(
            search=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            state=data.get("state") or ACTIVE,
            sort=data.get("sort") or "name",
        )


class ProductForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "unit_price",
            "unit_cost",
            "vat_rate",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision
