"""The large data set: 100,000 accounts, 1,000,000 activities, 200,000 opportunities.

Rows are bulk-inserted in chunks (see `bulk.py`; no per-row audit). The
shape is meant to look like a real sales organisation: owners follow a
skewed curve over 20 sellers in 4 teams, activity counts per customer have
a long tail, and one "big" customer carries 5,000 activities and 1,000
documents so that its 360° page shows whether pages stay bounded.
`scale` shrinks every count (tests run a thousandth of it).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from obieg.crm.models import Account, Activity, ContactPerson, Opportunity
from obieg.demo import polish
from obieg.demo.bulk import analyze, explicit_timestamps, insert, quiet_queries
from obieg.demo.files import tiny_pdf
from obieg.demo.identifiers import demo_nip, demo_pesel, demo_regon
from obieg.demo.large_org import ensure_sales_force
from obieg.demo.organisation import EXPERT_DEPARTMENTS, Organisation
from obieg.demo.progress import Progress
from obieg.documents.models import Document, DocumentVersion

BIG_ACCOUNT_NAME = "Grupa Energetyczna Wielki Obieg S.A."
FULL_SIZES = {
    "accounts": 100_000,
    "activities": 1_000_000,
    "opportunities": 200_000,
    "big_activities": 5_000,
    "big_documents": 1_000,
    "big_contacts": 25,
    "big_opportunities": 40,
}
DAY = 86_400
Stage = Opportunity.Stage
STAGE_WEIGHTS = {
    Stage.QUALIFICATION: 25,
    Stage.NEEDS_ANALYSIS: 20,
    Stage.PROPOSAL: 15,
    Stage.NEGOTIATION: 10,
    Stage.WON: 18,
    Stage.LOST: 12,
}
KIND_WEIGHTS = {
    Activity.Kind.CALL: 45,
    Activity.Kind.MEETING: 20,
    Activity.Kind.EMAIL: 20,
    Activity.Kind.NOTE: 15,
}
SUBJECTS = {
    Activity.Kind.CALL: ("Rozmowa o ofercie", "Oddzwonić do klienta", "Telefon: termin montażu"),
    Activity.Kind.MEETING: ("Audyt dachu", "Prezentacja oferty", "Podpisanie umowy"),
    Activity.Kind.EMAIL: ("Wysłano ofertę", "Pytanie o dofinansowanie", "Potwierdzenie terminu"),
    Activity.Kind.NOTE: ("Notatka ze spotkania", "Klient porównuje oferty", "Uwagi projektanta"),
}
OUTCOMES = (
    Activity.Outcome.POSITIVE,
    Activity.Outcome.NEGATIVE,
    Activity.Outcome.NO_ANSWER,
    Activity.Outcome.CALL_BACK,
    Activity.Outcome.MEETING_BOOKED,
)
DOCUMENT_TITLES = (
    (Document.Kind.PROTOCOL, "Protokół odbioru"),
    (Document.Kind.WARRANTY, "Karta gwarancyjna"),
    (Document.Kind.SERVICE_ORDER, "Zlecenie serwisowe"),
    (Document.Kind.CORRESPONDENCE, "Pismo od klienta"),
    (Document.Kind.CONTRACT, "Aneks do umowy"),
    (Document.Kind.PHOTO, "Zdjęcie instalacji"),
)


def sizes_for(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in FULL_SIZES.items()}


def large_data_present() -> bool:
    return Account.objects.filter(name=BIG_ACCOUNT_NAME).exists()


def generate(
    org: Organisation,
    *,
    scale: float = 1.0,
    progress: bool = True,
    stream: TextIO | None = None,
    seed: int = 7,
) -> dict[str, int]:
    """Generate the data set; returns the number of rows per kind."""
    sizes = sizes_for(scale)
    sellers = ensure_sales_force(org).sellers
    generator = _Generator(org, sellers, sizes, random.Random(seed), progress, stream)
    models = (Account, ContactPerson, Opportunity, Activity, Document, DocumentVersion)
    with quiet_queries(), explicit_timestamps(*models):
        counts = {
            "accounts": generator.accounts(),
            "contacts": generator.contacts(),
            "opportunities": generator.opportunities(),
            "activities": generator.activities(),
            "documents": generator.documents(),
        }
    analyze()
    return counts


@dataclass
class _AccountRef:
    id: int
    owner_id: int
    kind: str
    contact_id: int | None = None
    opportunity_id: int | None = None


class _Generator:
    def __init__(self, org, sellers, sizes, rng: random.Random, progress, stream):
        self.org = org
        self.sizes = sizes
        self.rng = rng
        self.show = progress
        self.stream = stream
        self.now = timezone.now()
        self.seller_ids = [seller.pk for seller in sellers]
        # A skewed share per seller (1/√rank): a few carry many customers, as in life.
        self.owner_weights = list(
            itertools.accumulate(1 / (rank**0.5) for rank in range(1, len(sellers) + 1))
        )
        self.refs: list[_AccountRef] = []
        # Identifiers continue after the accounts already present, so a second
        # (--force) run does not repeat NIPs.
        self.id_base = (Account.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    def _progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, stream=self.stream, enabled=self.show)

    def _ago(self, max_days: float, min_days: float = 0) -> timedelta:
        return timedelta(seconds=self.rng.uniform(min_days * DAY, max_days * DAY))

    def _skewed_account(self) -> _AccountRef:
        """Any account but the big one, favouring a long tail of busy customers."""
        count = len(self.refs) - 1
        if count == 0:
            return self.refs[0]
        return self.refs[1 + int(count * self.rng.random() ** 1.5)]

    # -- accounts ---------------------------------------------------------

    def accounts(self) -> int:
        total = self.sizes["accounts"]
        rng = self.rng

        def build(i: int) -> Account:
            index = self.id_base + i
            created = self.now - self._ago(5 * 365)
            owner_id = rng.choices(self.seller_ids, cum_weights=self.owner_weights)[0]
            fields = {**polish.address(rng), "phone": polish.phone(rng)}
            if i == 0:
                owner_id = self.seller_ids[0]
                fields |= {"kind": Account.Kind.COMPANY, "name": BIG_ACCOUNT_NAME}
            elif rng.random() < 0.85:
                fields["kind"] = Account.Kind.COMPANY
                fields["name"] = polish.company_name(rng)
            else:
                first, last = polish.person_name(rng)
                fields |= {"kind": Account.Kind.PERSON, "name": f"{first} {last}"}
            if fields["kind"] == Account.Kind.COMPANY:
                fields |= {"nip": demo_nip(index), "regon": demo_regon(index)}
            else:
                fields["pesel"] = demo_pesel(index)
            return Account(owner_id=owner_id, created_at=created, updated_at=created, **fields)

        def remember(rows: list[Account]) -> None:
            self.refs.extend(_AccountRef(row.pk, row.owner_id, row.kind) for row in rows)

        progress = self._progress("accounts", total)
        insert(Account, total, build, progress, after_chunk=remember)
        progress.finish()
        return total

    # -- contacts ---------------------------------------------------------

    def contacts(self) -> int:
        rng = self.rng
        owners: list[_AccountRef] = [self.refs[0]] * self.sizes["big_contacts"]
        for ref in self.refs[1:]:
            if ref.kind == Account.Kind.COMPANY:
                owners.extend([ref] * (1 + (rng.random() < 0.5) + (rng.random() < 0.1)))

        def build(i: int) -> ContactPerson:
            first, last = polish.person_name(rng)
            created = self.now - self._ago(3 * 365)
            return ContactPerson(
                account_id=owners[i].id,
                first_name=first,
                last_name=last,
                position=rng.choice(polish.POSITIONS),
                phone=polish.phone(rng),
                email=f"{polish.ascii_slug(first + ' ' + last)}@firma.example.pl",
                is_primary=i == 0 or owners[i - 1] is not owners[i],
                created_at=created,
                updated_at=created,
            )

        def remember(rows: list[ContactPerson]) -> None:
            for row, ref in zip(rows, owners[len(seen) : len(seen) + len(rows)], strict=True):
                ref.contact_id = ref.contact_id or row.pk
            seen.extend(rows)

        seen: list[ContactPerson] = []
        progress = self._progress("contacts", len(owners))
        insert(ContactPerson, len(owners), build, progress, after_chunk=remember)
        progress.finish()
        return len(owners)

    # -- opportunities ----------------------------------------------------

    def opportunities(self) -> int:
        total = max(self.sizes["opportunities"], self.sizes["big_opportunities"])
        big = self.sizes["big_opportunities"]
        rng = self.rng
        departments = self.org.departments
        stages, stage_weights = zip(*STAGE_WEIGHTS.items(), strict=True)
        targets: list[_AccountRef] = []

        def build(i: int) -> Opportunity:
            ref = self.refs[0] if i < big else self._skewed_account()
            targets.append(ref)
            stage = rng.choices(stages, weights=stage_weights)[0]
            created = self.now - self._ago(2 * 365)
            department = None
            roll = rng.random()
            if stage in (Stage.NEEDS_ANALYSIS, Stage.PROPOSAL) and roll < 0.4:
                department = departments["design"]
            elif stage == Stage.WON and roll < 0.5:
                department = departments["installation"]
            elif roll > 0.92:
                department = departments[rng.choice(EXPERT_DEPARTMENTS)]
            closed = stage in (Stage.WON, Stage.LOST)
            value = Decimal(int(rng.lognormvariate(10.3, 0.8) * 100)) / 100
            return Opportunity(
                account_id=ref.id,
                name=f"Instalacja PV {rng.randint(30, 500) / 10:.1f} kWp".replace(".", ","),
                stage=stage,
                value=value,
                probability=Opportunity.DEFAULT_PROBABILITY[stage],
                expected_close=(created + self._ago(180, 20)).date(),
                # Mostly the account's owner; sometimes a colleague took it over.
                owner_id=ref.owner_id if rng.random() < 0.9 else rng.choice(self.seller_ids),
                department=department,
                escalated_to_board=not closed and value > 100_000 and rng.random() < 0.05,
                closed_at=min(created + self._ago(200, 10), self.now) if closed else None,
                lost_reason="Wybrał inną ofertę" if stage == Stage.LOST else "",
                created_at=created,
                updated_at=created,
            )

        def remember(rows: list[Opportunity]) -> None:
            for row, ref in zip(rows, targets, strict=True):
                ref.opportunity_id = row.pk
            targets.clear()

        progress = self._progress("opportunities", total)
        insert(Opportunity, total, build, progress, after_chunk=remember)
        progress.finish()
        return total

    # -- activities -------------------------------------------------------

    def activities(self) -> int:
        total = max(self.sizes["activities"], self.sizes["big_activities"])
        big = self.sizes["big_activities"]
        rng = self.rng
        kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)

        def build(i: int) -> Activity:
            ref = self.refs[0] if i < big else self._skewed_account()
            kind = rng.choices(kinds, weights=kind_weights)[0]
            # From three years back to two months ahead; the future is still planned.
            occurs = self.now - self._ago(3 * 365, -60)
            outcome = ""
            if occurs > self.now:
                status = Activity.Status.PLANNED
            elif rng.random() < 0.92:
                status = Activity.Status.DONE
                if kind in (Activity.Kind.CALL, Activity.Kind.MEETING):
                    outcome = rng.choice(OUTCOMES)
            else:
                status = Activity.Status.CANCELLED
            created = min(occurs, self.now) - self._ago(14)
            return Activity(
                account_id=ref.id,
                contact_id=ref.contact_id if rng.random() < 0.5 else None,
                opportunity_id=ref.opportunity_id if rng.random() < 0.3 else None,
                kind=kind,
                status=status,
                subject=rng.choice(SUBJECTS[kind]),
                occurs_at=occurs,
                duration_minutes=60 if kind == Activity.Kind.MEETING else None,
                outcome=outcome,
                owner_id=ref.owner_id,
                created_at=created,
                updated_at=created,
            )

        progress = self._progress("activities", total)
        insert(Activity, total, build, progress)
        progress.finish()
        return total

    # -- documents of the big account --------------------------------------

    def documents(self) -> int:
        """Documents with one version each; each version gets its own small file.

        Distinct files (same tiny content, distinct names) rather than one
        shared path: versions are separate records, and deleting one must
        never take another's file with it. A thousand files of ~600 bytes
        take well under a second to write.
        """
        total = self.sizes["big_documents"]
        big = self.refs[0]
        content = tiny_pdf("Obieg demo document")
        checksum = hashlib.sha256(content).hexdigest()
        owner_id = big.owner_id
        progress = self._progress("documents", total)
        documents = []
        for i in range(total):
            kind, title = DOCUMENT_TITLES[i % len(DOCUMENT_TITLES)]
            created = self.now - self._ago(3 * 365)
            documents.append(
                Document(
                    title=f"{title} nr {i + 1}",
                    kind=kind,
                    account_id=big.id,
                    current_version=1,
                    created_by_id=owner_id,
                    created_at=created,
                    updated_at=created,
                )
            )
        for document in documents:
            document.fill_search_columns()  # bulk_create skips save()
        with transaction.atomic():
            Document.objects.bulk_create(documents, batch_size=500)
            versions = []
            for document in documents:
                name = f"documents/{document.pk}/v1/{document.kind}-{document.pk}.pdf"
                stored = default_storage.save(name, ContentFile(content))
                versions.append(
                    DocumentVersion(
                        document_id=document.pk,
                        number=1,
                        file=stored,
                        original_name=stored.rsplit("/", 1)[-1],
                        checksum=checksum,
                        size=len(content),
                        content_type="application/pdf",
                        created_by_id=owner_id,
                        created_at=document.created_at,
                    )
                )
                progress.advance(1)
            DocumentVersion.objects.bulk_create(versions, batch_size=500)
        progress.finish()
        return total
