"""The header's search box: a few records of each kind that match, as the reader may see them.

One query per kind, each starting from the access policy and each served by
an index, so the box answers as fast on 10^6 rows as on ten:

- text (3+ characters): the folded name columns (core.text_search) of
  accounts, contacts, leads and opportunities, trigram GIN indexes on
  PostgreSQL; documents by their folded title too; offers, contracts,
  invoices, cases and documents are found through the customers so named
  (their account/buyer/subject index);
- NIP (prefix), REGON, PESEL: the identifier indexes of accounts and leads;
- a phone number (5+ digits, any spacing, +48 or not): `phone_digits`;
- an e-mail address (the whole address, any case): the lower(email) indexes;
- a document number (offer, contract, invoice; its beginning): the number
  indexes; a case by its number (#123).

Each kind reads PER_KIND + 1 rows, newest first, to know whether to offer "more".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from obieg.billing.models import Invoice
from obieg.core.access import visible
from obieg.core.text_search import digits, fold, phone_key, starts_with
from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from obieg.crm.selectors.text import MIN_PHONE_DIGITS
from obieg.documents.models import Document
from obieg.engine import labels
from obieg.engine.models import Case
from obieg.engine.selectors import cases_for
from obieg.sales.models import Contract, Offer

PER_KIND = 5
MORE_LIMIT = 50  # rows of one kind on the search page's "more" view
MIN_TEXT = 3  # a trigram needs three letters; fewer would scan
MAX_QUERY = 100
MAX_ID = 2**63 - 1
NAMED = 200  # customers and opportunities read by name for the kinds that refer to them
_IDENTIFIER = re.compile(r"^[\d\s\-+()/.]+$")
_NUMBER = re.compile(r"^[\w/\-.]+$")
_CASE_NUMBER = re.compile(r"^#\s*(\d{1,18})$")


@dataclass
class Terms:
    """What a query can be: words, an identifier, a phone, an e-mail, a document number."""

    raw: str
    text: str = ""  # folded words, when long enough
    identifier: str = ""  # digits of a NIP/REGON/PESEL typed with or without dashes
    phone: str = ""
    email: str = ""
    number: str = ""  # the beginning of a document number, upper case
    case_id: int | None = None

    @classmethod
    def parse(cls, query: str) -> Terms:
        raw = query.strip()[:MAX_QUERY]
        folded = fold(raw)
        dig = digits(raw)
        is_identifier = bool(_IDENTIFIER.match(raw)) and len(dig) >= 3
        case = _CASE_NUMBER.match(raw)
        return cls(
            raw=raw,
            text=folded if len(folded) >= MIN_TEXT and not is_identifier else "",
            identifier=dig if is_identifier else "",
            phone=phone_key(raw) if is_identifier and len(dig) >= MIN_PHONE_DIGITS else "",
            email=raw.lower() if "@" in raw and " " not in raw else "",
            number=raw.upper() if len(raw) >= MIN_TEXT and _NUMBER.match(raw) else "",
            case_id=int(case.group(1)) if case and int(case.group(1)) <= MAX_ID else None,
        )

    @property
    def empty(self) -> bool:
        return not (self.text or self.identifier or self.email or self.number or self.case_id)

    @cached_property
    def named_accounts(self) -> list[int]:
        """Ids of (at most NAMED + 1) customers the words name, read once for every kind.

        Offers, contracts, invoices, cases and documents are found through
        them by their account index; for a common name, through the first
        NAMED of them (the "more" links lead to the filtered lists).
        """
        return _ids_named(Account, self.text)

    @cached_property
    def named_opportunities(self) -> list[int]:
        return _ids_named(Opportunity, self.text)


def _ids_named(model, text: str) -> list[int]:
    if not text:
        return []
    # One pass over the folded column that stops at NAMED + 1 matches (no ordering to keep).
    rows = model.objects.filter(search_name__contains=text).order_by()
    return list(rows.values_list("pk", flat=True)[: NAMED + 1])


def _named(ids: list[int], text: str) -> Q:
    """The records whose folded name contains `text`: by id when all were read, else by name."""
    if len(ids) <= NAMED:
        return Q(pk__in=ids)
    return Q(search_name__contains=text)


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False
    more_url: str = ""


@dataclass(frozen=True)
class Kind:
    label: object
    match: Callable[[object, Terms], QuerySet | None]  # (user, terms) -> rows, or None
    hit: Callable[[object], Hit]
    # The list page that takes the query as ?q= (else the search page shows more).
    list_url: str = ""


def _email(terms: Terms) -> Q:
    return Q(email_lower=terms.email)


def _accounts(user, terms: Terms) -> QuerySet | None:
    match = Q()
    if terms.text:
        match |= _named(terms.named_accounts, terms.text)
    if terms.identifier:
        match |= starts_with("nip", terms.identifier)
        if len(terms.identifier) in (9, 14):
            match |= Q(regon=terms.identifier)
        if len(terms.identifier) == 11:
            match |= Q(pesel=terms.identifier)
    if terms.phone:
        match |= starts_with("phone_digits", terms.phone)
    if terms.email:
        match |= _email(terms)
    if not match:
        return None
    rows = Account.objects.alias(email_lower=Lower("email")).filter(match)
    return visible(rows, user)


def _contacts(user, terms: Terms) -> QuerySet | None:
    match = Q()
    if terms.text:
        match |= Q(search_name__contains=terms.text)
    if terms.phone:
        match |= starts_with("phone_digits", terms.phone)
    if terms.email:
        match |= _email(terms)
    if not match:
        return None
    rows = ContactPerson.objects.alias(email_lower=Lower("email")).filter(match)
    return visible(rows.select_related("account"), user)


def _leads(user, terms: Terms) -> QuerySet | None:
    match = Q()
    if terms.text:
        match |= Q(search_name__contains=terms.text)
    if len(terms.identifier) == 10:
        match |= Q(nip=terms.identifier)
    if terms.phone:
        match |= starts_with("phone_digits", terms.phone)
    if terms.email:
        match |= _email(terms)
    if not match:
        return None
    return visible(Lead.objects.alias(email_lower=Lower("email")).filter(match), user)


def _opportunities(user, terms: Terms) -> QuerySet | None:
    if not terms.text:
        return None
    match = _named(terms.named_opportunities, terms.text) | Q(
        account_id__in=terms.named_accounts[:NAMED]
    )
    return visible(Opportunity.objects.filter(match).select_related("account"), user)


def _by_number_or_customer(customer: str, terms: Terms) -> Q:
    match = Q()
    if terms.number:
        match |= starts_with("number", terms.number)
    if terms.text:
        match |= Q(**{f"{customer}__in": terms.named_accounts[:NAMED]})
    return match


def _offers(user, terms: Terms) -> QuerySet | None:
    match = _by_number_or_customer("account_id", terms)
    if not match:
        return None
    rows = Offer.objects.filter(match).exclude(status=Offer.Status.SUPERSEDED)
    return visible(rows.select_related("account"), user)


def _contracts(user, terms: Terms) -> QuerySet | None:
    match = _by_number_or_customer("account_id", terms)
    if not match:
        return None
    return visible(Contract.objects.filter(match).select_related("account"), user)


def _invoices(user, terms: Terms) -> QuerySet | None:
    match = _by_number_or_customer("buyer_id", terms)
    if len(terms.identifier) == 10:
        # The buyer's NIP: through the account index, as the invoice keeps a copy unindexed.
        match |= Q(buyer__in=Account.objects.filter(nip=terms.identifier).values("pk"))
    if not match:
        return None
    return visible(Invoice.objects.filter(match), user)


def _cases(user, terms: Terms) -> QuerySet | None:
    match = Q()
    if terms.case_id is not None:
        match |= Q(pk=terms.case_id)
    if terms.text:
        kinds = ContentType.objects.get_for_models(Account, Opportunity)
        match |= Q(subject_type=kinds[Account], subject_id__in=terms.named_accounts[:NAMED])
        match |= Q(
            subject_type=kinds[Opportunity], subject_id__in=terms.named_opportunities[:NAMED]
        )
    if not match:
        return None
    return cases_for(user).filter(match)


def _documents(user, terms: Terms) -> QuerySet | None:
    if not terms.text:
        return None
    match = Q(search_title__contains=terms.text) | Q(account_id__in=terms.named_accounts[:NAMED])
    rows = Document.objects.filter(match)
    return visible(rows.select_related("account"), user)


def _account_hit(account: Account) -> Hit:
    detail = " · ".join(
        part for part in (account.nip and f"NIP {account.nip}", account.city) if part
    )
    return Hit(account.name, detail, reverse("account_detail", args=[account.pk]))


def _contact_hit(contact: ContactPerson) -> Hit:
    url = reverse("account_detail", args=[contact.account_id]) + "#contacts"
    detail = " · ".join(
        part for part in (contact.account.name, contact.email, contact.phone) if part
    )
    return Hit(str(contact), detail, url)


def _lead_hit(lead: Lead) -> Hit:
    detail = " · ".join(part for part in (lead.contact_name, lead.city, lead.email) if part)
    return Hit(str(lead), detail, reverse("lead_detail", args=[lead.pk]))


def _opportunity_hit(opportunity: Opportunity) -> Hit:
    detail = f"{opportunity.account.name} · {opportunity.get_stage_display()}"
    return Hit(opportunity.name, detail, reverse("opportunity_detail", args=[opportunity.pk]))


def _offer_hit(offer: Offer) -> Hit:
    detail = f"{offer.title} · {offer.account.name}"
    return Hit(str(offer), detail, reverse("offer_detail", args=[offer.pk]))


def _contract_hit(contract: Contract) -> Hit:
    detail = f"{contract.title} · {contract.account.name}"
    return Hit(contract.number, detail, reverse("contract_detail", args=[contract.pk]))


def _invoice_hit(invoice: Invoice) -> Hit:
    return Hit(
        invoice.number, invoice.buyer_name, reverse("billing:invoice_detail", args=[invoice.pk])
    )


def _case_hit(case: Case) -> Hit:
    return Hit(
        str(case),
        f"#{case.pk} · {labels.process_label(case.definition)}",
        reverse("engine:case_detail", args=[case.pk]),
    )


def _document_hit(document: Document) -> Hit:
    detail = f"{document.get_kind_display()} · {document.account.name}"
    return Hit(document.title, detail, reverse("document_detail", args=[document.pk]))


KINDS: dict[str, Kind] = {
    "accounts": Kind(_("Accounts"), _accounts, _account_hit, "account_list"),
    "contacts": Kind(_("Contact persons"), _contacts, _contact_hit),
    "leads": Kind(_("Leads"), _leads, _lead_hit, "lead_list"),
    "opportunities": Kind(_("Opportunities"), _opportunities, _opportunity_hit, "opportunity_list"),
    "offers": Kind(_("Offers"), _offers, _offer_hit, "offer_list"),
    "contracts": Kind(_("Contracts"), _contracts, _contract_hit, "contract_list"),
    "invoices": Kind(_("Invoices"), _invoices, _invoice_hit),
    "cases": Kind(_("Cases"), _cases, _case_hit),
    "documents": Kind(_("Documents"), _documents, _document_hit),
}


def _more_url(kind: str, terms: Terms, *, on_search_page: bool) -> str:
    """The kind's list filtered by the query, else the search page for that kind alone."""
    list_url = KINDS[kind].list_url
    if list_url:
        return f"{reverse(list_url)}?{urlencode({'q': terms.raw})}"
    if on_search_page:
        return ""  # already there: the page says to narrow the search
    return f"{reverse('global_search')}?{urlencode({'q': terms.raw, 'kind': kind})}"


def search(user, query: str, *, kind: str = "", limit: int = PER_KIND) -> list[Group]:
    """The matching records `user` may see, grouped by kind; only kinds with a match.

    With `kind`, only that kind, up to `limit` rows (the search page's "more").
    """
    terms = Terms.parse(query)
    if terms.empty:
        return []
    groups = []
    for name, spec in KINDS.items():
        if kind and name != kind:
            continue
        rows = spec.match(user, terms)
        if rows is None:
            continue
        # Newest first on the primary key: the matches come from the indexes above,
        # and a common word stops after limit + 1 rows.
        found = list(rows.order_by("-pk")[: limit + 1])
        if not found:
            continue
        groups.append(
            Group(
                kind=name,
                label=str(spec.label),
                hits=[spec.hit(row) for row in found[:limit]],
                has_more=len(found) > limit,
                more_url=_more_url(name, terms, on_search_page=bool(kind)),
            )
        )
    return groups
