"""The small demo: ~50 customers with their history, written through the services.

Going through `crm.services` and `sales.services` (not bulk inserts) means
every record is validated and has its audit trail, exactly as if the demo
users had typed it in — so the history panes of the demo are not empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from obieg.crm import services as crm
from obieg.crm.models import Account, Activity, ContactPerson, Lead
from obieg.demo import polish
from obieg.demo.catalogue import ensure_catalogue
from obieg.demo.custom_fields import ensure_custom_fields
from obieg.demo.identifiers import demo_nip, demo_pesel, demo_regon
from obieg.demo.organisation import Organisation
from obieg.demo.small_sales import create_pipeline

# Identifier indexes far above those of the large data set, so the two never collide.
IDENTIFIER_BASE = 50_000_000

# (owner username, companies, private persons)
ACCOUNT_PLAN = (
    ("salesperson", 12, 6),
    ("phone_sales", 7, 4),
    ("field_sales", 8, 3),
    ("sales_manager", 4, 0),
)
# Courts and insurers that order expert opinions; the secretariat keeps them.
INSTITUTIONS = (
    "Sąd Okręgowy w Krakowie",
    "Sąd Rejonowy dla Wrocławia-Krzyków",
    "Towarzystwo Ubezpieczeń Wzajemnych Przezorność",
    "Kancelaria Radców Prawnych Lex Nowak i Wspólnicy Sp.p.",
    "Powszechny Zakład Ubezpieczeń Regionalnych S.A.",
    "Prokuratura Rejonowa Łódź-Bałuty",
)


@dataclass
class SmallDemo:
    accounts: dict[str, list[Account]] = field(default_factory=dict)  # by owner username
    institutions: list[Account] = field(default_factory=list)


@transaction.atomic
def create_small_demo(org: Organisation, *, seed: int = 2024) -> SmallDemo:
    """The catalogue, customers, contacts, activities, leads, opportunities, offers, a contract."""
    rng = random.Random(seed)
    demo = SmallDemo()
    ensure_catalogue(org)
    ensure_custom_fields(org)
    counter = iter(range(IDENTIFIER_BASE, IDENTIFIER_BASE + 10_000))
    for username, companies, persons in ACCOUNT_PLAN:
        owner = org.user(username)
        created = [_company(rng, owner, next(counter)) for _ in range(companies)]
        created += [_person(rng, owner, next(counter)) for _ in range(persons)]
        demo.accounts[username] = created
    secretariat = org.user("secretariat")
    demo.institutions = [
        _company(rng, secretariat, next(counter), name=name) for name in INSTITUTIONS
    ]
    for accounts in [*demo.accounts.values(), demo.institutions]:
        for account in accounts:
            _activities(rng, account)
    _leads(rng, org, counter)
    create_pipeline(rng, org, demo)
    return demo


def _company(rng: random.Random, owner, index: int, *, name: str = "") -> Account:
    name = name or polish.company_name(rng)
    domain = polish.domain(name)
    account = crm.account_create(
        actor=owner,
        data={
            "kind": Account.Kind.COMPANY,
            "name": name,
            "nip": demo_nip(index),
            "regon": demo_regon(index),
            "email": f"biuro@{domain}",
            "phone": polish.phone(rng),
            "website": f"https://www.{domain}",
            **polish.address(rng),
        },
    )
    for position in rng.sample(polish.POSITIONS, rng.randint(1, 3)):
        first, last = polish.person_name(rng)
        crm.contact_create(
            actor=owner,
            account=account,
            data={
                "first_name": first,
                "last_name": last,
                "position": position,
                "email": f"{polish.ascii_slug(first + ' ' + last)}@{domain}",
                "phone": polish.phone(rng),
                "is_primary": not account.contacts.exists(),
            },
        )
    return account


def _person(rng: random.Random, owner, index: int) -> Account:
    first, last = polish.person_name(rng)
    return crm.account_create(
        actor=owner,
        data={
            "kind": Account.Kind.PERSON,
            "name": f"{first} {last}",
            "pesel": demo_pesel(index),
            "email": f"{polish.ascii_slug(first + ' ' + last)}@poczta.example.pl",
            "phone": polish.phone(rng),
            **polish.address(rng),
        },
    )


# (kind, subject, outcome when done)
ACTIVITY_TEMPLATES = (
    (Activity.Kind.CALL, "Rozmowa wstępna o potrzebach", Activity.Outcome.MEETING_BOOKED),
    (Activity.Kind.CALL, "Telefon w sprawie oferty", Activity.Outcome.CALL_BACK),
    (Activity.Kind.CALL, "Próba kontaktu", Activity.Outcome.NO_ANSWER),
    (Activity.Kind.MEETING, "Spotkanie i audyt na miejscu", Activity.Outcome.POSITIVE),
    (Activity.Kind.MEETING, "Prezentacja oferty", Activity.Outcome.NEGATIVE),
    (Activity.Kind.EMAIL, "Wysłano katalog i cennik", Activity.Outcome.NONE),
    (Activity.Kind.NOTE, "Klient porównuje oferty konkurencji", Activity.Outcome.NONE),
)


def _working_hour(rng: random.Random, day: date) -> datetime:
    """A weekday between 8:00 and 16:30, local time: when salespeople meet customers."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moment = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 30))))
    return timezone.make_aware(moment)


def _activities(rng: random.Random, account: Account) -> None:
    """A few done activities in the past and one or two planned ahead."""
    owner = account.owner
    contact = ContactPerson.objects.filter(account=account).first()
    today = timezone.localdate()
    for _ in range(rng.randint(1, 4)):
        kind, subject, outcome = rng.choice(ACTIVITY_TEMPLATES)
        when = _working_hour(rng, today - timedelta(days=rng.randint(1, 120)))
        crm.activity_create(
            actor=owner,
            account=account,
            data={
                "kind": kind,
                "status": Activity.Status.DONE,
                "subject": subject,
                "body": "Notatka z kontaktu z klientem.",
                "occurs_at": when,
                "duration_minutes": 60 if kind == Activity.Kind.MEETING else 10,
                "outcome": outcome,
                "contact": contact,
            },
        )
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice((Activity.Kind.CALL, Activity.Kind.MEETING))
        when = _working_hour(rng, today + timedelta(days=rng.randint(1, 21)))
        crm.activity_create(
            actor=owner,
            account=account,
            data={
                "kind": kind,
                "status": Activity.Status.PLANNED,
                "subject": "Spotkanie u klienta" if kind == Activity.Kind.MEETING else "Oddzwonić",
                "occurs_at": when,
                "duration_minutes": 90 if kind == Activity.Kind.MEETING else 15,
                "contact": contact,
            },
        )


# (status, source, owner username or "" for a web-form inquiry, department code)
LEAD_PLAN = (
    (Lead.Status.NEW, Lead.Source.WEB_FORM, "", "secretariat"),
    (Lead.Status.NEW, Lead.Source.PHONE, "phone_sales", ""),
    (Lead.Status.NEW, Lead.Source.EVENT, "field_sales", ""),
    (Lead.Status.CONTACTED, Lead.Source.REFERRAL, "salesperson", ""),
    (Lead.Status.CONTACTED, Lead.Source.PHONE, "phone_sales", ""),
    (Lead.Status.QUALIFIED, Lead.Source.SALESPERSON, "salesperson", ""),
    (Lead.Status.QUALIFIED, Lead.Source.WEB_FORM, "field_sales", "design"),
    (Lead.Status.CONVERTED, Lead.Source.SALESPERSON, "salesperson", ""),
    (Lead.Status.CONVERTED, Lead.Source.REFERRAL, "field_sales", ""),
    (Lead.Status.DISQUALIFIED, Lead.Source.PHONE, "phone_sales", ""),
    (Lead.Status.DISQUALIFIED, Lead.Source.API, "salesperson", ""),
)


def _leads(rng: random.Random, org: Organisation, counter) -> None:
    for status, source, username, department in LEAD_PLAN:
        owner = org.user(username) if username else None
        first, last = polish.person_name(rng)
        company = polish.company_name(rng) if rng.random() < 0.5 else ""
        lead = crm.lead_create(
            actor=owner,
            data={
                "source": source,
                "company_name": company,
                "contact_name": f"{first} {last}",
                "email": f"{polish.ascii_slug(first + ' ' + last)}@poczta.example.pl",
                "phone": polish.phone(rng),
                "nip": demo_nip(next(counter)) if company else "",
                "city": rng.choice(polish.CITIES).name,
                "description": "Zainteresowanie instalacją fotowoltaiczną na dachu",
                "department": org.departments.get(department),
            },
        )
        actor = owner or org.user("admin")
        if status in (Lead.Status.CONTACTED, Lead.Status.QUALIFIED, Lead.Status.DISQUALIFIED):
            crm.lead_update(actor=actor, lead=lead, data={"status": status})
        elif status == Lead.Status.CONVERTED:
            crm.lead_convert(
                actor=actor,
                lead=lead,
                opportunity_name=f"Instalacja PV {rng.randint(4, 15)} kWp",
                value=rng.randint(25, 70) * 1000,
            )
