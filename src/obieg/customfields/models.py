"""The definition of a custom field; the values live in each record's `custom` column.

A record keeps its values as a JSON object `{key: value}` in canonical text
(`values.py`): a number as the exact decimal ("150000.5"), a date in ISO form,
a choice by its stored value. Definitions are never deleted, only
deactivated, so no value is ever orphaned; a choice taken off the list stays
in `choices` as retired, so records holding it still show its label.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A key is used in addresses (`?custom.tier=gold`), file headers and JSON: plain and short.
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
validate_key = RegexValidator(
    KEY_PATTERN,
    _("Use 1–40 small letters (a–z), digits and underscores, starting with a letter."),
)


class RecordType(models.TextChoices):
    ACCOUNT = "account", _("Accounts")
    CONTACT = "contact", _("Contact persons")
    LEAD = "lead", _("Leads")
    OPPORTUNITY = "opportunity", _("Opportunities")


class CustomField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        CHOICE = "choice", _("choice from a list")

    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    # Fixed once created (the form and the service refuse a change): stored values,
    # saved filters, API clients and import files all name the field by it.
    key = models.CharField(_("key"), max_length=40, validators=[validate_key])
    label_pl = models.CharField(_("label (Polish)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    # Fixed once created too: a value stays readable as what it was written as.
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # [{"value": "gold", "label_pl": "Złoty", "label_en": "Gold", "retired": false}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    in_list = models.BooleanField(_("shown in the list and its filters"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["record_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "key"], name="customfields_unique_key_per_type"
            )
        ]
        indexes = [models.Index(fields=["record_type", "active", "position", "id"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the reader's language (English falls back to Polish)."""
        return label_in(self.label_pl, self.label_en)

    @property
    def form_name(self) -> str:
        """The name of its input in record forms and its column key in import files."""
        return f"custom_{self.key}"

    def active_choices(self) -> list[dict]:
        return [choice for choice in self.choices if not choice.get("retired")]

    def choice(self, value: str) -> dict | None:
        return next((choice for choice in self.choices if choice["value"] == value), None)


def label_in(polish: str, english: str) -> str:
    language = (get_language() or "pl").split("-")[0]
    return polish if language == "pl" or not english else english


class CustomValue(models.Model):
    """One record's value of one field, as the list filters compare it (derived, indexed).

    The record's `custom` JSON stays the truth; this copy is rewritten with it
    on every save (`customfields.indexing`), in the same transaction. A JSON
    value has no index on SQLite, so a filter there read every row's JSON; here
    a choice or date is an exact value, a number a NUMERIC, text its folded
    form (core.text_search.fold: "lodz" finds Łódź), each under the field.
    """

    # No index of its own: the two below start with the field.
    field = models.ForeignKey(
        CustomField, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    # A choice's stored value or a date's ISO text (both short: 40 and 10 characters).
    exact = models.CharField(max_length=100, blank=True, default="")
    # A text field's value folded; matched by "contains", which no b-tree serves.
    text = models.TextField(blank=True, default="")
    number = models.DecimalField(max_digits=21, decimal_places=6, null=True, blank=True)

    class Meta:
        constraints = [
            # Record first: it finds a record's rows to rewrite, and tests one record's
            # value while a list walks its sort index (PostgreSQL's plan for a common value).
            models.UniqueConstraint(
                fields=["record_id", "field"], name="customfields_one_value_per_record"
            )
        ]
        indexes = [
            models.Index(fields=["field", "exact", "record_id"]),
            models.Index(fields=["field", "number", "record_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} · {self.field_id}"
