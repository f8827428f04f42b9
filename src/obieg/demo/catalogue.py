"""The demo's catalogue: what a Polish PV and heat-pump installer sells, at net prices.

The small demo's offers pick their lines from it (demo.small_sales.pv_lines),
as a salesperson would on the offer page; one item is withdrawn to show how
an old offer keeps it.
"""

from __future__ import annotations

from decimal import Decimal

from obieg.catalogue import services
from obieg.catalogue.models import Product
from obieg.demo.organisation import Organisation

P, S = Product.Kind.PRODUCT, Product.Kind.SERVICE

# code, name, kind, unit, unit cost, unit price (net), VAT rate
ITEMS = (
    ("PV-MOD-455", "Moduł fotowoltaiczny 455 Wp", P, "szt.", "390.00", "520.00", "8"),
    ("PV-INV-HYB10", "Falownik hybrydowy 10 kW", P, "szt.", "5200.00", "6900.00", "8"),
    ("PV-OPT", "Optymalizator mocy", P, "szt.", "180.00", "290.00", "8"),
    ("PV-KONSTR", "Konstrukcja montażowa i montaż", S, "kpl.", "3500.00", "5400.00", "8"),
    ("PV-MONIT", "Dostawa i uruchomienie monitoringu", S, "usł.", "300.00", "600.00", "23"),
    ("ES-10", "Magazyn energii 10 kWh", P, "szt.", "16500.00", "21000.00", "23"),
    ("HP-8", "Pompa ciepła powietrze-woda 8 kW", P, "szt.", "18000.00", "26500.00", "8"),
    ("EV-11", "Ładowarka samochodowa 11 kW (wallbox)", P, "szt.", "2100.00", "3200.00", "23"),
    ("AUDYT-EN", "Audyt energetyczny budynku", S, "usł.", "900.00", "2500.00", "23"),
    ("SERW-PV", "Przegląd okresowy instalacji PV", S, "usł.", "150.00", "450.00", "23"),
    ("DOJAZD", "Dojazd serwisu", S, "km", "1.20", "2.50", "23"),
    ("SZKOL-H", "Szkolenie z obsługi instalacji", S, "h", "80.00", "150.00", "zw"),
)
WITHDRAWN = ("PV-MOD-400", "Moduł fotowoltaiczny 400 Wp", P, "szt.", "350.00", "470.00", "8")


def ensure_catalogue(org: Organisation) -> None:
    """The demo items, added by the sales manager unless their codes are there already."""
    manager = org.user("sales_manager")
    present = set(Product.objects.values_list("code", flat=True))
    for code, name, kind, unit, cost, price, vat in (*ITEMS, WITHDRAWN):
        if code in present:
            continue
        item = services.product_create(
            actor=manager,
            data={
                "code": code,
                "name": name,
                "kind": kind,
                "unit": unit,
                "unit_cost": Decimal(cost),
                "unit_price": Decimal(price),
                "vat_rate": vat,
            },
        )
        if code == WITHDRAWN[0]:
            services.product_set_active(actor=manager, product=item, active=False)


def catalogue_line(code: str, quantity, discount: Decimal = Decimal("0")) -> dict:
    """An offer line picked from the catalogue, its price lowered by `discount` (a fraction)."""
    item = Product.objects.get(code=code)
    return {
        "product": item,
        "description": item.name,
        "quantity": Decimal(quantity),
        "unit": item.unit,
        "unit_cost": item.unit_cost,
        "unit_price": (item.unit_price * (1 - discount)).quantize(Decimal("0.01")),
        "vat_rate": item.vat_rate,
    }
