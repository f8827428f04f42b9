"""Demo data of the PV sales force: the rules, a queue, today's calls and the field day.

Called by `obieg demo` with the demo organisation; idempotent: nothing is
added when queue rules exist. Customers left their details through the web
form, by phone or at a fair across Małopolska and Śląsk; the rules score
and route them; the telephone salesperson's day and the field salesperson's
next working day are built by the same services the morning clock runs.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from obieg.core import clock
from obieg.core.business_days import is_business_day
from obieg.crm.models import Account, ContactPerson, Lead, Opportunity
from obieg.solutions.pv_salesforce import call_schedule, field_schedule, meetings, queue, rules
from obieg.solutions.pv_salesforce.models import FieldDay, Product, QueueRule, SellerDay

RULES = (
    {"name": "Zgłoszenie z formularza WWW", "source": Lead.Source.WEB_FORM, "points": "30"},
    {"name": "Klient z Małopolski", "voivodeship": "malopolskie", "points": "10"},
    {"name": "Wartość powyżej 40 000 zł", "min_value": "40000", "points": "20"},
    {
        "name": "PV z magazynem: do handlowca w terenie",
        "product": Product.PV_STORAGE,
        "points": "15",
        "route_to": "field",
    },  # fmt: skip
    {"name": "Nie odebrał poprzednio", "previous_outcome": "no_answer", "points": "-5"},
)

# name, postal code, city, source, value, product
CUSTOMERS = (
    ("Anna Zielińska", "31-042", "Kraków", Lead.Source.WEB_FORM, "32000", Product.PV),
    ("Marek Wójcik", "32-020", "Wieliczka", Lead.Source.PHONE, "45000", Product.PV_STORAGE),
    ("Ewa Kaczmarek", "34-500", "Zakopane", Lead.Source.WEB_FORM, "28000", Product.PV),
    ("Tomasz Lis", "40-001", "Katowice", Lead.Source.EVENT, "52000", Product.PV_HEAT_PUMP),
    ("Barbara Nowicka", "33-100", "Tarnów", Lead.Source.REFERRAL, "38000", Product.PV),
    (
        "Krzysztof Duda",
        "43-300",
        "Bielsko-Biała",
        Lead.Source.WEB_FORM,
        "61000",
        Product.PV_STORAGE,
    ),  # fmt: skip
    ("Joanna Mazur", "32-600", "Oświęcim", Lead.Source.PHONE, "26000", Product.PV),
    ("Piotr Sikora", "30-383", "Kraków", Lead.Source.WEB_FORM, "47000", Product.PV_STORAGE),
    ("Agnieszka Wrona", "32-050", "Skawina", Lead.Source.WEB_FORM, "34000", Product.HEAT_PUMP),
    ("Paweł Baran", "34-300", "Żywiec", Lead.Source.EVENT, "29000", Product.PV),
    ("Magdalena Kos", "31-513", "Kraków", Lead.Source.WEB_FORM, "41000", Product.PV),
    ("Rafał Jasiński", "32-400", "Myślenice", Lead.Source.PHONE, "55000", Product.PV_STORAGE),
)


def _next_working_day(day):
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _customer(manager, index: int, row) -> Opportunity:
    name, postal_code, city, source, value, _product = row
    account = Account.objects.create(
        name=name,
        kind=Account.Kind.PERSON,
        street=f"ul. Słoneczna {index + 1}",
        postal_code=postal_code,
        city=city,
        owner=manager,
    )
    first, last = name.split(" ", 1)
    phone = f"+48 600 200 {index:03}"
    ContactPerson.objects.create(
        account=account, first_name=first, last_name=last, phone=phone, is_primary=True
    )
    opportunity = Opportunity.objects.create(
        account=account, name=f"Fotowoltaika: {name}", value=Decimal(value), owner=manager
    )
    Lead.objects.create(
        source=source,
        contact_name=name,
        phone=phone,
        postal_code=postal_code,
        account=account,
        opportunity=opportunity,
        status=Lead.Status.CONVERTED,
    )
    return opportunity


def create_demo(organisation) -> None:
    if QueueRule.objects.exists():
        return
    manager = organisation.user("sales_manager")
    phone = organisation.user("phone_sales")
    field = organisation.user("field_sales")
    for data in RULES:
        rules.rule_add(actor=manager, data=data)
    # A short day, so the queue still holds customers waiting their turn.
    SellerDay.objects.get_or_create(salesperson=phone, defaults={"capacity": 3})
    FieldDay.objects.get_or_create(user=field, defaults={"home_postal_code": "31-042"})
    # The first eight wait in the queues; the last four already agreed to a visit.
    visiting = []
    for index, row in enumerate(CUSTOMERS):
        opportunity = _customer(manager, index, row)
        if index < 8:
            queue.enqueue_opportunity(actor=manager, opportunity=opportunity, product=row[5])
        else:
            visiting.append(opportunity)

    today = clock.today()
    call_day = today if is_business_day(today) else _next_working_day(today)
    call_schedule.build_call_schedules(day=call_day)

    # They are visited on the next working day, each in the window they chose.
    visit_day = _next_working_day(today)
    zone = timezone.get_current_timezone()
    windows = ((11, 15), (14, 18), (8, 10), (9, 12))
    for opportunity, (start, end) in zip(visiting, windows, strict=True):
        meetings.book_meeting(
            actor=manager,
            opportunity=opportunity,
            window_start=datetime.combine(visit_day, time(start), zone),
            window_end=datetime.combine(visit_day, time(end), zone),
        )
    field_schedule.build_field_schedules(day=visit_day, actor=manager)
