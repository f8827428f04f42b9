"""What the installation is expected to give: yield, savings and simple payback, for the offer.

A first estimate a salesperson can stand behind, from two documented
settings (see the README):

- `PV_SPECIFIC_YIELD_KWH_PER_KWP` (default 1,000): annual energy per kWp
  installed; 950–1,100 kWh/kWp is the range for a well-placed roof in Poland;
- `PV_ELECTRICITY_PRICE` (default 1.00): what a kWh bought from the grid
  costs the customer, gross PLN with distribution.

annual yield = kWp × specific yield; annual savings = yield × price;
simple payback = gross price / annual savings. The maths is exact Decimal:
only the pages and the PDF round what they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULT_SPECIFIC_YIELD = Decimal(1000)
DEFAULT_ELECTRICITY_PRICE = Decimal("1.00")


def specific_yield() -> Decimal:
    return Decimal(str(getattr(settings, "PV_SPECIFIC_YIELD_KWH_PER_KWP", DEFAULT_SPECIFIC_YIELD)))


def electricity_price() -> Decimal:
    return Decimal(str(getattr(settings, "PV_ELECTRICITY_PRICE", DEFAULT_ELECTRICITY_PRICE)))


def power_kwp(panel_count: int, panel_wp: int) -> Decimal:
    """The installed power of the modules chosen: 14 × 440 Wp = 6.16 kWp."""
    return Decimal(panel_count) * Decimal(panel_wp) / Decimal(1000)


def suggested_power_kwp(annual_kwh, connection_power_kw) -> Decimal:
    """The designer's starting point: annual kWh / 1,000 per kWp, never above the connection."""
    size = (Decimal(annual_kwh) / Decimal(1000)).quantize(Decimal("0.01"))
    return min(size, Decimal(connection_power_kw))


@dataclass(frozen=True)
class Estimate:
    power_kwp: Decimal
    specific_yield: Decimal  # kWh per kWp and year
    electricity_price: Decimal  # gross PLN per kWh
    annual_yield_kwh: Decimal
    annual_savings: Decimal  # gross PLN per year
    payback_years: Decimal | None  # None when nothing is saved
    consumption_share: Decimal | None  # yield / annual consumption; None without a consumption


def estimate(*, power: Decimal, gross: Decimal, annual_consumption_kwh=None) -> Estimate:
    """The estimate for `power` kWp sold at `gross` PLN, against the audited consumption."""
    per_kwp, price = specific_yield(), electricity_price()
    annual_yield = power * per_kwp
    savings = annual_yield * price
    consumption = Decimal(annual_consumption_kwh) if annual_consumption_kwh else None
    return Estimate(
        power_kwp=power,
        specific_yield=per_kwp,
        electricity_price=price,
        annual_yield_kwh=annual_yield,
        annual_savings=savings,
        payback_years=Decimal(gross) / savings if savings > 0 else None,
        consumption_share=annual_yield / consumption if consumption else None,
    )
