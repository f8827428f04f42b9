"""CRM core records (SPEC P1): accounts, contacts, activities, leads, opportunities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from obieg.core.access import AccessPaths
from obieg.core.fields import NipField, PeselField, RegonField
from obieg.core.identifiers import Voivodeship, validate_postal_code
from obieg.core.models import Department
from obieg.core.money import MoneyField
from obieg.core.text_search import SearchColumns, fold, fold_parts, phone_key, sort_key_of
from obieg.customfields.indexing import IndexedCustomValues
from obieg.customfields.values import CustomValues


def _search_name(max_length: int = 200):
    # Folded text the lists search (core.text_search); written on save, never edited.
    return models.CharField(max_length=max_length, blank=True, default="", editable=False)


def _sort_name():
    # The Polish alphabetical sort key of the name (core.text_search.sort_key).
    return models.CharField(max_length=255, blank=True, default="", editable=False)


def _custom(record_type: str):
    # Values of the fields an administrator defined for this record type (obieg.customfields);
    # the filters read their indexed copy, rewritten on save (customfields.indexing).
    return models.JSONField(
        _("custom fields"),
        default=dict,
        blank=True,
        validators=[CustomValues(record_type)],
        editable=False,
    )


def _phone_digits():
    # The phone number's digits without +48, for search and duplicate checks.
    return models.CharField(max_length=30, blank=True, default="", editable=False, db_index=True)


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped on every audited update; forms send it back to detect stale edits.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Account(IndexedCustomValues, SearchColumns, Timestamped):
    """A customer: a company (NIP, REGON) or a private person (PESEL)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        PERSON = "person", _("person")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("name"), max_length=200)
    nip = NipField(_("NIP"))
    regon = RegonField(_("REGON"))
    pesel = PeselField(_("PESEL"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=30, choices=Voivodeship.choices, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        verbose_name=_("owner"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The language of what goes to the customer (e-mails, offers, answer pages).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="pl"
    )
    custom = _custom("account")
    custom_record_type = "account"
    search_name = _search_name()
    search_city = _search_name(100)
    sort_name = _sort_name()
    phone_digits = _phone_digits()

    search_sources = ("name", "city", "phone")

    access = AccessPaths(
        owner="owner",
        department="opportunities__department",
        escalated="opportunities__escalated_to_board",
        finance=True,
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            models.Index(fields=["name", "id"]),
            models.Index(fields=["sort_name", "id"]),
            models.Index(fields=["owner", "sort_name", "id"]),
            models.Index(fields=["-created_at", "-id"]),
            models.Index(fields=["city", "id"]),
            models.Index(fields=["nip"]),
            models.Index(fields=["regon"]),
            models.Index(fields=["pesel"]),
            models.Index(Lower("email"), name="crm_account_email_lower"),
        ]

    def __str__(self) -> str:
        return self.name

    def search_columns(self) -> dict[str, str]:
        return {
            "search_name": fold(self.name)[:200],
            "search_city": fold(self.city)[:100],
            "sort_name": sort_key_of(self.name, limit=255),
            "phone_digits": phone_key(self.phone)[:30],
        }

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PERSON:
            if self.nip:
                errors["nip"] = _("A private person has no NIP; use the company kind.")
            if self.regon:
                errors["regon"] = _("A private person has no REGON; use the company kind.")
        elif self.pesel:
            errors["pesel"] = _("PESEL belongs to private persons, not companies.")
        if errors:
            raise ValidationError(errors)


class ContactPerson(IndexedCustomValues, SearchColumns, Timestamped):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("account")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # Empty: the account's language.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    custom = _custom("contact")
    custom_record_type = "contact"
    search_name = _search_name(210)
    sort_name = _sort_name()
    phone_digits = _phone_digits()

    search_sources = ("first_name", "last_name", "phone")

    access = AccessPaths(
        owner="account__owner",
        department="account__opportunities__department",
        escalated="account__opportunities__escalated_to_board",
        finance=True,
    )

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["account", "last_name"]),
            models.Index(fields=["sort_name", "id"]),
            # The API's list, in its default order (api.views.accounts.ContactPersonViewSet).
            models.Index(fields=["last_name", "first_name", "id"], name="crm_contact_api_order"),
            models.Index(Lower("email"), name="crm_contact_email_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def search_columns(self) -> dict[str, str]:
        return {
            "search_name": fold_parts(self.first_name, self.last_name, limit=210),
            "sort_name": sort_key_of(self.last_name, self.first_name, limit=255),
            "phone_digits": phone_key(self.phone)[:30],
        }


class Activity(Timestamped):
    """A meeting, phone call, note or e-mail with a customer, planned or done."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        CALL = "call", _("phone call")
        NOTE = "note", _("note")
        EMAIL = "email", _("e-mail")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")
        NO_ANSWER = "no_answer", _("no answer")
        CALL_BACK = "call_back", _("call back")
        MEETING_BOOKED = "meeting_booked", _("meeting booked")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="activities", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        ContactPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("contact person"),
    )
    opportunity = models.ForeignKey(
        "Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("opportunity"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("description"), blank=True)
    occurs_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("owner"),
    )

    access = AccessPaths(
        owner="account__owner",
        department="account__opportunities__department",
        escalated="account__opportunities__escalated_to_board",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["account", "-occurs_at", "-id"]),
            # A seller's planned activities in the order the home lists them (then id, so
            # that no plan needs a sort: the home's statements are prepared, and with a
            # generic plan's guess of a dozen rows in a week PostgreSQL joined all ~800
            # of them before sorting; 8.8 ms, where reading them in order stops at 13).
            models.Index(
                fields=["owner", "status", "occurs_at", "id"], name="crm_activity_planned"
            ),
            # The home's meetings this week: a salesperson's planned activities are
            # mostly calls and tasks, and read through the index above PostgreSQL
            # fetched ~800 rows of a week to keep the ~170 meetings (3.7 ms a home).
            models.Index(
                fields=["owner", "occurs_at", "id"],
                condition=Q(status="planned", kind="meeting"),
                name="crm_activity_meetings",
            ),
            # The activity report: a period's rows, with all it counts, so the index alone
            # answers (crm.reports.activity).
            models.Index(
                fields=["occurs_at", "owner", "kind", "status"], name="crm_activity_report"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self):
        if self.outcome and self.status != self.Status.DONE:
            raise ValidationError({"outcome": _("Only a done activity has an outcome.")})
        errors = {}
        if self.contact_id and self.account_id and self.contact.account_id != self.account_id:
            errors["contact"] = _("This person is a contact of another account.")
        if (
            self.opportunity_id
            and self.account_id
            and self.opportunity.account_id != self.account_id
        ):
            errors["opportunity"] = _("This opportunity belongs to another account.")
        if errors:
            raise ValidationError(errors)


class Lead(IndexedCustomValues, SearchColumns, Timestamped):
    """An interest not yet qualified; converting it creates account and opportunity."""

    class Source(models.TextChoices):
        SALESPERSON = "salesperson", _("entered by a salesperson")
        WEB_FORM = "web_form", _("web form")
        PHONE = "phone", _("phone")
        REFERRAL = "referral", _("referral")
        API = "api", _("API")
        EVENT = "event", _("trade fair or event")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        QUALIFIED = "qualified", _("qualified")
        CONVERTED = "converted", _("converted")
        DISQUALIFIED = "disqualified", _("disqualified")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    nip = NipField(_("NIP"))
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name=_("department"),
    )
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name=_("account"),
    )
    opportunity = models.OneToOneField(
        "Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead",
        verbose_name=_("opportunity"),
    )
    custom = _custom("lead")
    custom_record_type = "lead"
    # Company, contact and town: a lead is looked for by any of them.
    search_name = _search_name(510)
    sort_name = _sort_name()
    phone_digits = _phone_digits()

    search_sources = ("company_name", "contact_name", "city", "phone")

    access = AccessPaths(owner="owner", department="department")

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["sort_name", "id"]),
            models.Index(fields=["nip"]),
            models.Index(Lower("email"), name="crm_lead_email_lower"),
        ]

    def __str__(self) -> str:
        return self.company_name or self.contact_name

    def search_columns(self) -> dict[str, str]:
        return {
            "search_name": fold_parts(self.company_name, self.contact_name, self.city, limit=510),
            "sort_name": sort_key_of(self.company_name, self.contact_name, limit=255),
            "phone_digits": phone_key(self.phone)[:30],
        }

    def clean(self):
        if not (self.email or self.phone):
            raise ValidationError(_("Give an e-mail address or a phone number."))


class Opportunity(IndexedCustomValues, SearchColumns, Timestamped):
    """A chance to sell, moving through the pipeline stages."""

    class Stage(models.TextChoices):
        QUALIFICATION = "qualification", _("qualification")
        NEEDS_ANALYSIS = "needs_analysis", _("needs analysis")
        PROPOSAL = "proposal", _("proposal")
        NEGOTIATION = "negotiation", _("negotiation")
        WON = "won", _("won")
        LOST = "lost", _("lost")

    OPEN_STAGES = (Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION)
    DEFAULT_PROBABILITY = {
        Stage.QUALIFICATION: 10,
        Stage.NEEDS_ANALYSIS: 25,
        Stage.PROPOSAL: 50,
        Stage.NEGOTIATION: 75,
        Stage.WON: 100,
        Stage.LOST: 0,
    }

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=200)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.QUALIFICATION
    )
    value = MoneyField(_("value (net PLN)"), default=0, validators=[MinValueValidator(0)])
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("department"),
    )
    escalated_to_board = models.BooleanField(_("escalated to the board"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    lost_reason = models.CharField(_("reason for loss"), max_length=200, blank=True)
    custom = _custom("opportunity")
    custom_record_type = "opportunity"
    search_name = _search_name()
    sort_name = _sort_name()

    search_sources = ("name",)

    access = AccessPaths(owner="owner", department="department", escalated="escalated_to_board")

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["stage", "expected_close", "id"]),
            models.Index(fields=["owner", "stage", "expected_close"]),
            models.Index(fields=["account", "-created_at"]),
            # The API's list, newest first (api.views.opportunities.OpportunityViewSet).
            models.Index(fields=["-created_at", "-id"], name="crm_opportunity_newest"),
            models.Index(fields=["department", "stage"]),
            models.Index(fields=["sort_name", "id"]),
            # The won/lost report: opportunities closed in a period, with all it adds up,
            # so the index alone answers (crm.reports.sales).
            models.Index(
                fields=["closed_at", "owner", "stage", "value"], name="crm_opportunity_closed"
            ),
            # The pipeline report: open value and probability per owner and stage.
            models.Index(
                fields=["stage", "owner", "value", "probability"], name="crm_opportunity_pipeline"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def search_columns(self) -> dict[str, str]:
        return {
            "search_name": fold(self.name)[:200],
            "sort_name": sort_key_of(self.name, limit=255),
        }

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    @property
    def weighted_value(self):
        return self.value * self.probability / 100


class PipelineTotal(models.Model):
    """How many opportunities each owner has per stage and probability, and their value.

    Kept by the database itself: triggers on the opportunities table
    (crm/pipeline_totals.py, installed by migration 0011) add each
    opportunity to its row when it is inserted and move it when its owner,
    stage, probability or value changes or it is deleted, in the same
    transaction, whichever way the write came (a form, the API, an import,
    a queryset update). The home's "my open opportunities" and a manager's
    team totals read these few rows instead of adding up a seller's
    thousands of opportunities on every visit (17,000 open ones: 6 ms of
    PostgreSQL per home). Opportunities with no owner are not counted.
    The value is kept in grosz, an integer, so SQLite adds it exactly too.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,  # the triggers keep the rows; a deleted user's stay at 0
        db_constraint=False,
        db_index=False,  # the key's index starts with the owner
        related_name="+",
    )
    stage = models.CharField(max_length=20, choices=Opportunity.Stage.choices)
    probability = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)
    value_grosz = models.BigIntegerField(default=0)

    class Meta:
        db_table = "crm_pipeline_total"  # named in the triggers' SQL
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "stage", "probability"], name="crm_pipeline_total_key"
            )
        ]
        verbose_name = _("pipeline total")
        verbose_name_plural = _("pipeline totals")

    def __str__(self) -> str:
        return f"{self.owner_id} {self.stage} {self.probability}%: {self.count}"
