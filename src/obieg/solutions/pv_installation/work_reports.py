"""The installers' reports: serials and checks of their part, and the day it was finished.

A crew fills one in on a phone at the site. The form knows its case (the
engine passes `case_data`) and so:

- shows the job above the fields (`brief`: address, phone, navigation,
  planned days, components and materials);
- records the day the part was finished (`roof_completed_on`,
  `electrical_completed_on`): the protocol and the final invoice are dated
  by it, not by the day someone pressed the button;
- asks for a tick when the part is reported more than a day before its first
  planned day (a report on the wrong job, or a real early finish?), and
  refuses it without one;
- for the part that completes the installation, asks for the customer's
  signature, drawn on the phone, and the name of who signed: it goes into
  the completion protocol.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from obieg.core.inputs import DateInput
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.solutions.pv_installation import work_brief
from obieg.solutions.pv_installation.signature import SignatureField

# Finishing the day before the plan is a crew with a free afternoon; earlier asks first.
EARLY_GRACE = timedelta(days=1)
PARTS = ("roof", "electrical")
OTHER = {"roof": "electrical", "electrical": "roof"}
DATE = DateInput()


def _shown(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class WorkReportForm(forms.Form):
    """What both parts' reports share; `part` is "roof" or "electrical"."""

    uses_case_data = True
    part = ""
    brief_template = "pv_installation/_work_brief.html"

    def __init__(self, *args, case_data: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_data = dict(case_data or {})
        self.project = work_brief.project_of(self.case_data)
        self.today = timezone.localdate()
        self.planned = work_brief.planned_days(self.case_data, self.part) if case_data else None
        done = f"{self.part}_completed_on"
        self.fields[done] = forms.DateField(
            label=_("Finished on"),
            initial=self.today,
            required=False,  # today, when a client of the API leaves it out
            widget=DATE,
            help_text=_("The day the work of this part was finished."),
        )
        if self._may_be_early():
            first = _shown(self.planned.first) if self.planned else ""
            self.fields[f"{self.part}_confirm_early"] = forms.BooleanField(
                label=_("Yes, this part was finished before its planned day (%(day)s)")
                % {"day": first},
                required=False,
            )
        if self.completes_installation:
            self.fields["customer_signature"] = SignatureField(
                label=_("Customer's signature accepting the installation")
            )
            self.fields["signed_by"] = forms.CharField(
                label=_("Signed by (name and surname)"),
                max_length=200,
                initial=self._customer_name(),
            )

    @cached_property
    def completes_installation(self) -> bool:
        """True when the other part is already reported: this report closes the works.

        Asked of the work items, not the case data: the parts run in parallel
        branches, whose data meet only when both are done.
        """
        if self.project is None or not self.project.case_id:
            return False
        other = WorkItem.objects.filter(
            case_id=self.project.case_id, element_id=f"{OTHER[self.part]}_work"
        )
        return (
            other.filter(status=WorkItemStatus.COMPLETED).exists()
            and not other.filter(status=WorkItemStatus.OPEN).exists()
        )

    def brief(self) -> work_brief.WorkBrief:
        return work_brief.brief(self.case_data, self.part, project=self.project)

    def _early_limit(self):
        return self.planned.first - EARLY_GRACE if self.planned else None

    def _may_be_early(self) -> bool:
        limit = self._early_limit()
        if limit is None:
            return False
        if self.today < limit:
            return True
        # A report of an earlier day than the form's default asks for the tick too.
        raw = self.data.get(self.add_prefix(f"{self.part}_completed_on")) if self.is_bound else None
        try:
            told = forms.DateField().to_python(raw) if raw else None
        except forms.ValidationError:
            return False
        return told is not None and told < limit

    def _customer_name(self) -> str:
        if self.project is None:
            return ""
        contact = self.project.account.contacts.first()
        return f"{contact.first_name} {contact.last_name}".strip() if contact else ""

    def clean(self):
        data = super().clean()
        done_name = f"{self.part}_completed_on"
        if done_name in self.errors:
            return data
        done = data[done_name] = data.get(done_name) or self.today
        if done > self.today:
            self.add_error(done_name, _("The day cannot be in the future."))
            return data
        limit = self._early_limit()
        if limit is not None and done < limit and not data.get(f"{self.part}_confirm_early"):
            message = _(
                "The plan has this part on %(planned)s; tick the box to confirm it was "
                "finished on %(done)s."
            ) % {"planned": _shown(self.planned.first), "done": _shown(done)}
            confirm = f"{self.part}_confirm_early"
            self.add_error(confirm if confirm in self.fields else done_name, message)
        return data


class RoofReportForm(WorkReportForm):
    part = "roof"

    panel_serials = forms.CharField(
        label=_("Panel serial numbers (one per line)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    roof_mounting_checked = forms.BooleanField(label=_("Mounting torque checked"))
    roof_sealed = forms.BooleanField(label=_("Roof penetrations sealed"))
    roof_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ElectricalReportForm(WorkReportForm):
    part = "electrical"

    inverter_serial = forms.CharField(label=_("Inverter serial number"), max_length=100)
    dc_tests_done = forms.BooleanField(label=_("DC string tests done"))
    grounding_checked = forms.BooleanField(label=_("Grounding and surge protection checked"))
    commissioned = forms.BooleanField(label=_("Inverter commissioned"))
    electrical_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


def works_completed_on(data: dict) -> date | None:
    """The day the installation was finished: the later of the two parts' reported days.

    None for a case whose reports predate the field (the caller then takes today).
    """
    days = [_as_date(data.get(f"{part}_completed_on")) for part in PARTS]
    days = [day for day in days if day is not None]
    return max(days) if days else None


def _as_date(value) -> date | None:
    # Case data read back from its JSON column holds dates as ISO text.
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
