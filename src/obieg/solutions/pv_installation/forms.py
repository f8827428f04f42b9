"""The task forms of the PV process; their cleaned values become case data."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from obieg.core.numbers import DecimalInputField
from obieg.solutions.pv_installation import estimates
from obieg.solutions.pv_installation.offer_lines import OfferLinesField
from obieg.solutions.pv_installation.work_reports import ElectricalReportForm, RoofReportForm

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}


class AuditForm(forms.Form):
    """What the salesperson (or auditor) records at the customer's site, on a phone."""

    roof_type = forms.ChoiceField(
        label=_("Roof type"),
        choices=[
            ("gable", _("gable")),
            ("hip", _("hip")),
            ("flat", _("flat")),
            ("shed", _("shed")),
            ("ground", _("ground mount")),
        ],
    )
    roof_covering = forms.ChoiceField(
        label=_("Roof covering"),
        choices=[
            ("tile", _("ceramic tile")),
            ("metal_tile", _("metal tile")),
            ("sheet", _("trapezoidal sheet")),
            ("membrane", _("roofing membrane")),
            ("other", _("other")),
        ],
    )
    roof_pitch = forms.IntegerField(label=_("Pitch (°)"), min_value=0, max_value=90)
    azimuth = forms.IntegerField(label=_("Azimuth (°, 180 = south)"), min_value=0, max_value=359)
    usable_area = DecimalInputField(
        label=_("Usable area (m²)"), max_digits=8, decimal_places=1, min_value=Decimal(1)
    )
    shading = forms.ChoiceField(
        label=_("Shading"),
        choices=[("none", _("none")), ("partial", _("partial")), ("heavy", _("heavy"))],
    )
    annual_consumption_kwh = forms.IntegerField(
        label=_("Annual consumption (kWh)"), min_value=100, max_value=10_000_000
    )
    tariff = forms.CharField(label=_("Tariff"), max_length=10, initial="G11")
    connection_power_kw = DecimalInputField(
        label=_("Connection power (kW)"), max_digits=7, decimal_places=1, min_value=Decimal("1")
    )
    phases = forms.TypedChoiceField(label=_("Phases"), choices=[(1, "1"), (3, "3")], coerce=int)
    operator = forms.ChoiceField(
        label=_("Distribution operator (OSD)"),
        choices=[(code, code) for code in ("PGE", "Tauron", "Enea", "Energa", "Stoen", "other")],
    )
    ppe_number = forms.RegexField(
        label=_("Metering point (PPE) number"),
        regex=r"^[0-9A-Z]{10,40}$",
        max_length=40,
        error_messages={"invalid": _("Digits and capital letters.")},
    )
    building_type = forms.ChoiceField(
        label=_("Building"),
        choices=[("residential", _("residential")), ("other", _("other (not residential)"))],
    )
    audit_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("annual_consumption_kwh") and data.get("connection_power_kw"):
            # The designer's starting point, kept with the case data; the modules decide.
            data["suggested_power_kwp"] = estimates.suggested_power_kwp(
                data["annual_consumption_kwh"], data["connection_power_kw"]
            )
        return data


class DesignForm(forms.Form):
    """The designer's installation: size, components and priced lines."""

    panel_model = forms.CharField(label=_("Panel model"), max_length=100)
    panel_wp = forms.IntegerField(label=_("Panel power (Wp)"), min_value=100, max_value=1000)
    panel_count = forms.IntegerField(label=_("Number of panels"), min_value=1, max_value=10000)
    inverter = forms.CharField(label=_("Inverter"), max_length=100)
    mounting = forms.CharField(label=_("Mounting system"), max_length=100)
    storage = forms.CharField(label=_("Energy storage (optional)"), max_length=100, required=False)
    lines = OfferLinesField(
        label=_("Priced lines"),
        help_text=_(
            "Net PLN, written as 3 900,50 or 3900.50; clear a line to leave it out. "
            "A catalogue item's code fills its line with the item's name, unit, price and cost. "
            "The installed power is the modules' count times their power."
        ),
    )
    design_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    # The last round's lines keep their catalogue items, even ones withdrawn since.
    uses_case_data = True

    def __init__(self, *args, case_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].keep_items_of((case_data or {}).get("lines"))


class ContractApprovalForm(forms.Form):
    contract_approved = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Approve")), ("no", _("Return with a comment"))],
    )
    approval_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("contract_approved") is False and not data.get("approval_comment"):
            self.add_error("approval_comment", _("Say what should change."))
        return data


class ContractRevisionForm(forms.Form):
    advance_percent = DecimalInputField(
        label=_("Advance (% of gross)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("1"),
        max_value=Decimal("100"),
        initial=Decimal(30),
    )
    special_terms = forms.CharField(
        label=_("Special terms"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentForm(forms.Form):
    """The accountant confirms the invoice was paid in full."""

    paid_on = forms.DateField(label=_("Paid on"))
    payment_reference = forms.CharField(label=_("Bank reference"), required=False, max_length=200)


class PlanForm(forms.Form):
    """The planner's dates and crews; crews must be free for their days."""

    start_date = forms.DateField(label=_("Works start on"))
    roof_days = forms.IntegerField(
        label=_("Roof work (days)"), min_value=1, max_value=30, initial=1
    )
    electrical_days = forms.IntegerField(
        label=_("Electrical work (days)"), min_value=1, max_value=30, initial=1
    )
    roof_crew = forms.ModelChoiceField(label=_("Roof crew"), queryset=None)
    electrical_crew = forms.ModelChoiceField(label=_("Electrical crew"), queryset=None)

    def __init__(self, *args, **kwargs):
        from obieg.scheduling.models import Crew

        super().__init__(*args, **kwargs)
        active = Crew.objects.filter(active=True).order_by("name")
        self.fields["roof_crew"].queryset = active.filter(skills__code="roof").distinct()
        self.fields["electrical_crew"].queryset = active.filter(
            skills__code="electrical"
        ).distinct()

    def clean(self):
        from obieg.solutions.pv_installation import planning

        data = super().clean()
        if self.errors:
            return data
        for part in ("roof", "electrical"):
            start, end = planning.work_period(data, part)
            if not planning.crew_is_free(data[f"{part}_crew"], start, end):
                self.add_error(f"{part}_crew", _("This crew is busy or off on those days."))
        return data


FORMS = {
    "pv.audit": AuditForm,
    "pv.design": DesignForm,
    "pv.contract_approval": ContractApprovalForm,
    "pv.contract_revision": ContractRevisionForm,
    "pv.payment": PaymentForm,
    "pv.plan": PlanForm,
    "pv.roof_report": RoofReportForm,
    "pv.electrical_report": ElectricalReportForm,
}
