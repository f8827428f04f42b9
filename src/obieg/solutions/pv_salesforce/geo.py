"""Where customers and salespeople are, and how long the drive between them takes.

Coordinates come from the record when known; otherwise from the postal-code
area — the first two digits of a Polish postal code (00–99; there is no 79) —
whose approximate centroid ships in data/postal_areas.csv. The centroids are
written down from general knowledge of where each area lies, not surveyed:
they place a customer within roughly 10–30 km, which is what ordering a day's
visits needs and no more. Nothing here calls a network service.

Travel time is an estimate: the great-circle distance times a road factor
(roads wind), at an average speed; both are settings
(`SALESFORCE_ROAD_FACTOR`, `SALESFORCE_AVERAGE_SPEED_KMH`).
"""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data" / "postal_areas.csv"
EARTH_RADIUS_KM = 6371.0
DEFAULT_ROAD_FACTOR = 1.3
DEFAULT_AVERAGE_SPEED_KMH = 60.0

Point = tuple[float, float]


@cache
def postal_areas() -> dict[str, Point]:
    """Each postal-code area ("00"…"99") and its approximate centroid (lat, lon)."""
    with DATA.open(encoding="utf-8") as handle:
        return {
            row["area"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def area_of(postal_code: str) -> str | None:
    """The two-digit area of a Polish postal code ("31-042" → "31"), or None if it has none."""
    code = (postal_code or "").strip()
    if len(code) < 2 or not code[:2].isdigit():
        return None
    return code[:2]


def locate_postal_code(postal_code: str) -> Point | None:
    """The approximate centroid of the postal code's area, or None for an unknown area."""
    area = area_of(postal_code)
    return postal_areas().get(area) if area else None


def locate(latitude, longitude, postal_code: str = "") -> Point | None:
    """The best known position: the coordinates when given, else the postal-code area."""
    if latitude is not None and longitude is not None:
        return (float(latitude), float(longitude))
    return locate_postal_code(postal_code)


def as_decimals(point: Point) -> tuple[Decimal, Decimal]:
    """A position as the 6-decimal values the records store."""
    return (
        Decimal(str(point[0])).quantize(Decimal("0.000001")),
        Decimal(str(point[1])).quantize(Decimal("0.000001")),
    )


def distance_km(a: Point, b: Point) -> float:
    """The great-circle (haversine) distance between two points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def road_factor() -> float:
    return float(getattr(settings, "SALESFORCE_ROAD_FACTOR", DEFAULT_ROAD_FACTOR))


def average_speed_kmh() -> float:
    return float(getattr(settings, "SALESFORCE_AVERAGE_SPEED_KMH", DEFAULT_AVERAGE_SPEED_KMH))


def travel_seconds(a: Point, b: Point, *, factor: float | None = None, speed: float | None = None):
    """The estimated drive from a to b in whole seconds (road factor × distance / speed)."""
    factor = road_factor() if factor is None else factor
    speed = average_speed_kmh() if speed is None else speed
    return round(factor * distance_km(a, b) / speed * 3600)


def duration_matrix(points: list[Point]) -> list[list[int]]:
    """Drive times in seconds between every pair of points (the solver's matrix)."""
    factor, speed = road_factor(), average_speed_kmh()
    return [[travel_seconds(a, b, factor=factor, speed=speed) for b in points] for a in points]


def map_link(address: str, postal_code: str = "", point: Point | None = None) -> str:
    """A link that opens the place in the phone's map application (geo: URI, RFC 5870)."""
    from urllib.parse import quote

    query = ", ".join(part for part in (address, postal_code) if part)
    if point is not None and not query:
        return f"geo:{point[0]:.6f},{point[1]:.6f}"
    base = f"geo:{point[0]:.6f},{point[1]:.6f}" if point else "geo:0,0"
    return f"{base}?q={quote(query)}" if query else base
