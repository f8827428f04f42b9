"""Forms of the account pages: the list's filters and the account form."""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from obieg.core import access
from obieg.core.identifiers import Voivodeship
from obieg.core.models import User
from obieg.core.prepared_widgets import RENDERER as PREPARED_WIDGETS
from obieg.crm.models import Account
from obieg.crm.selectors.accounts import ACCOUNT_SORTS, AccountFilters
from obieg.customfields import selectors as custom_selectors
from obieg.customfields.filtering import CustomFilterForm
from obieg.customfields.forms import CustomFieldsFormMixin

SORT_LABELS = {"name": _("name"), "newest": _("newest"), "city": _("city")}


class AccountFilterForm(forms.Form):
    # Drawn on every visit of the list: selects written directly, not option by option.
    default_renderer = PREPARED_WIDGETS
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *Account.Kind.choices]
    )
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"),
        required=False,
        choices=[("", _("all voivodeships")), *Voivodeship.choices],
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in ACCOUNT_SORTS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The custom fields shown as columns, each with its filter inputs.
        fields = custom_selectors.list_fields(custom_selectors.active_fields("account"))
        self.custom_filter = CustomFilterForm(self.data, fields=fields, renderer=self.renderer)

    def filters(self) -> AccountFilters:
        """The valid filters; a bad value in the address is ignored, not an error page."""
        self.is_valid()  # an invalid field is left out of cleaned_data
        data = self.cleaned_data
        return AccountFilters(
            search=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            voivodeship=data.get("voivodeship") or "",
            mine=bool(data.get("mine")),
            sort=data.get("sort") or "name",
            custom=self.custom_filter.conditions(),
        )


def owner_choices(user, current_owner_id=None):
    """Whom `user` may make an account's owner; None when only themselves."""
    people = User.objects.order_by("last_name", "first_name", "username")
    if access.is_admin(user):
        return people.filter(is_active=True)
    if access.manages_team(user):
        # The current owner stays a choice so saving other fields keeps them.
        return people.filter(
            Q(team__manager=user, is_active=True) | Q(pk=user.pk) | Q(pk=current_owner_id)
        )
    return None


class AccountForm(CustomFieldsFormMixin, forms.ModelForm):
    custom_record_type = "account"
    website = forms.URLField(
        label=capfirst(Account._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Account
        fields = [
            "kind",
            "name",
            "nip",
            "regon",
            "pesel",
            "email",
            "phone",
            "website",
            "street",
            "postal_code",
            "city",
            "voivodeship",
            "language",
            "owner",
            "notes",
        ]
        widgets = {
            "postal_code": forms.TextInput(attrs={"placeholder": "00-950", "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or "pl"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        # Left out (an older form, an integration): the account keeps its language, Polish if new.
        self.fields["language"].required = False
        choices = owner_choices(user, self.instance.owner_id)
        if choices is None:
            # Salespeople own what they create; only managers hand accounts over.
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = choices
            # An account without an owner drops out of every salesperson's view.
            self.fields["owner"].required = True
            if not self.instance.pk:
                self.fields["owner"].initial = user.pk
