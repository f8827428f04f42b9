"""The small demo's pipeline: opportunities in every stage, offers, a revision, contracts.

Opportunities are created at the first stage and moved stage by stage, as a
salesperson would, so their audit history shows the way they went. Some go
to departments (design, installation, the expert departments, the
secretariat) and two are escalated to the board: every demo user has work.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from obieg.crm import services as crm
from obieg.crm.models import Opportunity
from obieg.demo.catalogue import catalogue_line
from obieg.demo.files import tiny_pdf
from obieg.demo.organisation import Organisation
from obieg.documents.models import Document
from obieg.documents.services import document_upload
from obieg.sales import services as sales
from obieg.sales.models import Contract, Offer

Stage = Opportunity.Stage
PATH = [Stage.QUALIFICATION, Stage.NEEDS_ANALYSIS, Stage.PROPOSAL, Stage.NEGOTIATION]
LOST_REASONS = ("Wybrał tańszą ofertę konkurencji", "Brak finansowania", "Odłożył inwestycję")
PV_DEALS = (
    ("Instalacja PV 6,5 kWp — dom jednorodzinny", 6.5),
    ("Instalacja PV 9,8 kWp z magazynem energii", 9.8),
    ("Instalacja PV 49,5 kWp na dachu hali", 49.5),
    ("Pompa ciepła i instalacja PV 8 kWp", 8.0),
    ("Carport fotowoltaiczny 20 kWp", 20.0),
    ("Rozbudowa instalacji PV o 5 kWp", 5.0),
)
# (seller, opportunities per stage)
SELLERS = (("salesperson", 2), ("phone_sales", 1), ("field_sales", 1), ("sales_manager", 1))
OPINIONS = (
    ("Opinia budowlana — zawilgocenie budynku", "construction", 14_000),
    ("Wycena nieruchomości gruntowej", "construction", 4_500),
    ("Rekonstrukcja przebiegu wypadku drogowego", "road_accidents", 6_800),
    ("Opinia sądowo-lekarska o uszczerbku na zdrowiu", "medicine", 5_200),
    ("Analiza nośników danych z zabezpieczenia", "it_forensics", 18_000),
)


def pv_lines(kwp: float, *, storage: bool, discount: Decimal = Decimal("0")) -> list[dict]:
    """Offer lines of a PV installation from the catalogue (demo.catalogue): 8% VAT on a
    home installation, 23% on extras."""
    lines = [
        catalogue_line("PV-MOD-455", math.ceil(kwp * 1000 / 455), discount),
        catalogue_line("PV-INV-HYB10", 1, discount),
        catalogue_line("PV-KONSTR", 1, discount),
        catalogue_line("PV-MONIT", 1, discount),
    ]
    if storage:
        lines.append(catalogue_line("ES-10", 1, discount))
    return lines


def _line(description, quantity, cost, price, vat, unit="szt.") -> dict:
    """A free-text line (no catalogue item), as for an expert opinion priced case by case."""
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit": unit,
        "unit_cost": Decimal(cost),
        "unit_price": Decimal(price),
        "vat_rate": vat,
    }


def _advance(actor, opportunity: Opportunity, target: str, rng: random.Random) -> Opportunity:
    """Move stage by stage up to `target` (won and lost come after negotiation)."""
    for stage in PATH[1:]:
        if target in PATH and PATH.index(stage) > PATH.index(target):
            break
        opportunity = crm.opportunity_move_stage(actor=actor, opportunity=opportunity, stage=stage)
    if target == Stage.WON:
        opportunity = crm.opportunity_move_stage(actor=actor, opportunity=opportunity, stage=target)
    elif target == Stage.LOST:
        opportunity = crm.opportunity_update(
            actor=actor,
            opportunity=opportunity,
            data={"stage": target, "lost_reason": rng.choice(LOST_REASONS)},
        )
    return opportunity


def _open(actor, account, name: str, value, rng, *, department=None) -> Opportunity:
    return crm.opportunity_create(
        actor=actor,
        account=account,
        data={
            "name": name,
            "value": Decimal(value),
            "expected_close": timezone.localdate() + timedelta(days=rng.randint(10, 120)),
            "department": department,
        },
    )


def create_pipeline(rng: random.Random, org: Organisation, demo) -> None:
    deals = {username: [] for username, _per_stage in SELLERS}
    for username, per_stage in SELLERS:
        seller = org.user(username)
        for stage in Stage.values:
            for _ in range(per_stage):
                name, kwp = rng.choice(PV_DEALS)
                value = int(kwp * rng.randint(4200, 5200))
                department = None
                if stage in (Stage.NEEDS_ANALYSIS, Stage.PROPOSAL):
                    department = org.departments["design"]  # waiting for the designer
                elif stage == Stage.WON and username != "sales_manager":
                    department = org.departments["installation"]  # handed over to be built
                account = rng.choice(demo.accounts[username])
                opportunity = _open(seller, account, name, value, rng, department=department)
                deals[username].append(_advance(seller, opportunity, stage, rng))
    _offers_and_contracts(rng, org, deals["salesperson"], deals["phone_sales"])
    _expert_opinions(rng, org, demo)
    _escalate_big_farm(rng, org, demo)


def _offers_and_contracts(rng, org: Organisation, mine: list, phone: list) -> None:
    seller = org.user("salesperson")
    by_stage = {}
    for opportunity in mine:
        by_stage.setdefault(opportunity.stage, []).append(opportunity)

    proposal = by_stage[Stage.PROPOSAL][0]
    offer = _offer(seller, proposal, storage=False)
    sales.offer_set_status(actor=seller, offer=offer, status=Offer.Status.SENT)

    # Negotiation: the customer asked for a discount, so revision 2 replaces revision 1.
    negotiation = by_stage[Stage.NEGOTIATION][0]
    first = _offer(seller, negotiation, storage=True)
    first = sales.offer_set_status(actor=seller, offer=first, status=Offer.Status.SENT)
    second = sales.offer_revise(actor=seller, offer=first)
    sales.offer_replace_lines(
        actor=seller, offer=second, lines=pv_lines(9.8, storage=True, discount=Decimal("0.05"))
    )
    second = sales.offer_set_status(actor=seller, offer=second, status=Offer.Status.SENT)
    second = sales.offer_set_status(actor=seller, offer=second, status=Offer.Status.ACCEPTED)
    contract = sales.contract_create(
        actor=seller, account=negotiation.account, data={"offer": second}
    )
    # The sales manager approves contracts before they go out (S1 step 5).
    sales.contract_update(
        actor=seller, contract=contract, data={"status": Contract.Status.AWAITING_APPROVAL}
    )

    won = by_stage[Stage.WON][0]
    accepted = _offer(seller, won, storage=False)
    accepted = sales.offer_set_status(actor=seller, offer=accepted, status=Offer.Status.SENT)
    accepted = sales.offer_set_status(actor=seller, offer=accepted, status=Offer.Status.ACCEPTED)
    today = timezone.localdate()
    signed = sales.contract_create(
        actor=seller,
        account=won.account,
        data={
            "offer": accepted,
            "status": Contract.Status.SIGNED,
            "signed_on": today - timedelta(days=7),
            "starts_on": today + timedelta(days=14),
            "ends_on": today + timedelta(days=60),
        },
    )
    _attach_pdf(seller, signed, Document.Kind.CONTRACT, f"Umowa {signed.number}")
    _attach_pdf(
        org.user("designer"),
        by_stage[Stage.PROPOSAL][0],
        Document.Kind.SCHEMATIC,
        "Schemat instalacji PV",
    )
    draft_for = next(o for o in phone if o.stage == Stage.PROPOSAL)
    _offer(org.user("phone_sales"), draft_for, storage=False)  # left as a draft


def _offer(actor, opportunity: Opportunity, *, storage: bool) -> Offer:
    kwp = 9.8 if storage else 6.5
    return sales.offer_create(
        actor=actor,
        account=opportunity.account,
        opportunity=opportunity,
        title=f"Oferta: {opportunity.name}",
        lines=pv_lines(kwp, storage=storage),
        valid_until=timezone.localdate() + timedelta(days=30),
    )


def _attach_pdf(actor, subject, kind: str, title: str) -> None:
    content = ContentFile(tiny_pdf(title), name=f"{kind}.pdf")
    document_upload(
        actor=actor, title=title, kind=kind, file=content, account=subject.account, subject=subject
    )


def _expert_opinions(rng, org: Organisation, demo) -> None:
    """Inquiries of the opinions firm: in the departments, and two still at the secretariat."""
    secretariat = org.user("secretariat")
    head = org.user("department_head")
    courts = demo.institutions
    for index, (name, code, value) in enumerate(OPINIONS):
        account = courts[index % len(courts)]
        opportunity = _open(
            secretariat, account, name, value, rng, department=org.departments[code]
        )
        _advance(secretariat, opportunity, Stage.NEEDS_ANALYSIS, rng)
    for account in courts[:2]:
        waiting = org.departments["secretariat"]
        _open(secretariat, account, "Zapytanie o opinię biegłego", 0, rng, department=waiting)

    # The construction department prices an opinion below the minimum margin,
    # so its head escalates the offer to the board (S4 step 4).
    construction = org.departments["construction"]
    opinion = _open(
        secretariat,
        courts[0],
        "Opinia o wadach konstrukcji dachu",
        22_000,
        rng,
        department=construction,
    )
    opinion = _advance(secretariat, opinion, Stage.PROPOSAL, rng)
    sales.offer_create(
        actor=head,
        account=opinion.account,
        opportunity=opinion,
        title="Opinia biegłego: wady konstrukcji dachu",
        lines=[
            _line("Oględziny i badania na miejscu", 2, "2600.00", "2800.00", "23", unit="dzień"),
            _line("Sporządzenie opinii pisemnej", 1, "15000.00", "16400.00", "23", unit="usł."),
        ],
    )
    crm.opportunity_update(actor=head, opportunity=opinion, data={"escalated_to_board": True})


def _escalate_big_farm(rng, org: Organisation, demo) -> None:
    """A large PV farm at a deep discount: the sales manager asks the board."""
    seller = org.user("salesperson")
    account = demo.accounts["salesperson"][0]
    farm = _open(seller, account, "Farma fotowoltaiczna 1 MWp", 3_400_000, rng)
    farm = _advance(seller, farm, Stage.NEGOTIATION, rng)
    crm.opportunity_update(
        actor=org.user("sales_manager"), opportunity=farm, data={"escalated_to_board": True}
    )
