"""Seeded synthetic allocation instances (for tests and for bench/allocation.py).

Households and units around Brussels, with the mix of sizes, rents, access needs and
reach that makes about 4 % of all pairs eligible. `generate` returns the JSON document of
ALLOCATION.md as plain data, so it can be written to a file for `sra allocate` or decoded
into a `matching.problem.Problem`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

CENTRE = (50.8466, 4.3528)
KM_PER_DEGREE_LAT = 111.2
ROUND_DATE = dt.date(2026, 12, 1)
# (min_occupants, max_occupants, base rent in cents), with their shares of the stock.
UNIT_TYPES = [(1, 1, 52_000), (1, 2, 62_000), (2, 4, 78_000), (3, 6, 95_000), (4, 8, 115_000)]
UNIT_SHARES = [0.15, 0.30, 0.30, 0.17, 0.08]


def generate(
    households: int,
    units: int,
    *,
    seed: int = 0,
    mode: str = "max_housed",
    cap: int | None = None,
    high_support_share: float = 0.12,
    spread_km: float = 7.0,
) -> dict[str, Any]:
    """One instance; the same arguments give the same document."""
    rng = np.random.default_rng(seed)
    buildings, unit_rows = _units(rng, units, spread_km)
    return {
        "round_date": ROUND_DATE.isoformat(),
        "policy": {
            "mode": mode,
            "affordability_ratio": 0.4,
            "weights": {"urgency": 10, "waiting_day": 1, "km": 3},
            "max_high_support_per_building": cap,
        },
        "buildings": buildings,
        "units": unit_rows,
        "households": _households(rng, households, unit_rows, spread_km, high_support_share),
    }


def _point(rng: np.random.Generator, spread_km: float) -> tuple[float, float]:
    dy, dx = rng.normal(0.0, spread_km, 2)
    lat = CENTRE[0] + dy / KM_PER_DEGREE_LAT
    lon = CENTRE[1] + dx / (KM_PER_DEGREE_LAT * np.cos(np.radians(CENTRE[0])))
    return round(float(lat), 6), round(float(lon), 6)


def _date(days_before: int) -> str:
    return (ROUND_DATE - dt.timedelta(days=days_before)).isoformat()


def _units(
    rng: np.random.Generator, count: int, spread_km: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    buildings: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    while len(rows) < count:
        b_id = f"b{len(buildings):05d}"
        present = int(rng.choice([0, 0, 0, 0, 1, 1, 2]))
        buildings.append({"id": b_id, "high_support_households": present})
        site = _point(rng, spread_km)
        for _ in range(min(count - len(rows), int(rng.integers(1, 9)))):
            lo, hi, base = UNIT_TYPES[rng.choice(len(UNIT_TYPES), p=UNIT_SHARES)]
            available = rng.random()
            rows.append(
                {
                    "id": f"u{len(rows):05d}",
                    "building_id": b_id,
                    "min_occupants": lo,
                    "max_occupants": hi,
                    "rent_cents": int(base * rng.uniform(0.8, 1.25)) // 100 * 100,
                    "charges_cents": int(rng.integers(20, 120)) * 100,
                    "wheelchair_accessible": bool(rng.random() < 0.12),
                    "step_free": bool(rng.random() < 0.35),
                    "lat": round(site[0] + float(rng.normal(0, 2e-4)), 6),
                    "lon": round(site[1] + float(rng.normal(0, 3e-4)), 6),
                    "available_from": None
                    if available < 0.7
                    else _date(int(rng.integers(-20, 90))),
                }
            )
    return buildings, rows


def _households(
    rng: np.random.Generator,
    count: int,
    units: list[dict[str, Any]],
    spread_km: float,
    high_support_share: float,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(count):
        adults = 1 if rng.random() < 0.65 else 2
        children = int(min(rng.geometric(0.55) - 1, 6))
        size = adults + children
        income = int(rng.uniform(110_000, 190_000) + 25_000 * size) // 1000 * 1000
        n_locations = 0 if rng.random() < 0.08 else int(rng.choice([1, 1, 2, 2, 3]))
        excluded = [units[int(j)]["id"] for j in rng.integers(0, len(units), rng.integers(0, 3))]
        if rng.random() < 0.05:
            excluded.append("u-gone")
        rows.append(
            {
                "id": f"h{i:06d}",
                "adults": adults,
                "children": children,
                "monthly_income_cents": income,
                "max_rent_cents": None
                if rng.random() < 0.5
                else int(rng.uniform(55_000, 120_000)) // 100 * 100,
                "wheelchair": bool(rng.random() < 0.04),
                "step_free": bool(rng.random() < 0.10),
                "preferred_locations": [
                    dict(zip(("lat", "lon"), _point(rng, spread_km), strict=True))
                    for _ in range(n_locations)
                ],
                "max_distance_km": None
                if rng.random() < 0.05
                else round(float(rng.uniform(1.0, 4.0)), 2),
                "urgency": int(rng.integers(0, 21)) * 10,
                "registered_on": _date(int(rng.integers(0, 5 * 365))),
                "excluded_units": excluded if units else [],
                "high_support": bool(rng.random() < high_support_share),
            }
        )
    return rows
