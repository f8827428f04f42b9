"""The demo company as invoice seller (billing needs one to issue anything)."""

from obieg.billing.models import CompanyProfile


def ensure_seller() -> CompanyProfile:
    existing = CompanyProfile.objects.order_by("id").first()
    if existing is not None:
        return existing
    return CompanyProfile.objects.create(
        name="Obieg Demo Sp. z o.o.",
        nip="5260250274",
        regon="146321453",
        krs="0000123456",
        street="ul. Żółkiewskiego 12/4",
        postal_code="31-539",
        city="Kraków",
        email="faktury@obieg-demo.example",
        phone="+48 12 345 67 89",
        bank_account="PL61109010140000071219812874",
        bank_name="Bank Przykładowy S.A.",
        place_of_issue="Kraków",
        payment_days=14,
    )
