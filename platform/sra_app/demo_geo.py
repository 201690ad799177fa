"""Demo health index and rent caps, so ``make run`` shows indexed caps.

The index values are DEMO VALUES, NOT THE OFFICIAL BELGIAN HEALTH INDEX: a smooth series on the
2013 = 100 base, from 125.00 in January 2023 rising to about 135 in October 2026, shaped like
the real one. A finance officer replaces them with the published figures (CSV import).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import set_index
from sra.register.models import Agency
from sra.register.rent_caps import UnitType, set_cap

FIRST_MONTH = date(2023, 1, 1)
LAST_MONTH = date(2026, 10, 1)
CAP_BASE_MONTH = date(2023, 12, 1)

# Monthly caps in cents against the December 2023 index, per (type, bedrooms).
DEMO_CAPS = {
    (UnitType.STUDIO, 0): 62000,
    (UnitType.APARTMENT, 1): 78000,
    (UnitType.APARTMENT, 2): 92000,
    (UnitType.APARTMENT, 3): 108000,
    (UnitType.HOUSE, 2): 102000,
    (UnitType.HOUSE, 3): 120000,
    (UnitType.HOUSE, 4): 138000,
}


def demo_months() -> list[tuple[date, Decimal]]:
    """The demo series: about +0.22 a month, with the small steps a real index has."""
    months: list[tuple[date, Decimal]] = []
    year, month, step = FIRST_MONTH.year, FIRST_MONTH.month, 0
    while date(year, month, 1) <= LAST_MONTH:
        wobble = Decimal((step * 7) % 5 - 2) / 50  # -0.04 .. +0.04, deterministic
        value = Decimal("125.00") + Decimal("0.22") * step + wobble
        months.append((date(year, month, 1), value.quantize(Decimal("0.01"))))
        year, month, step = year + month // 12, month % 12 + 1, step + 1
    return months


async def add_demo_indices_and_caps(session: AsyncSession, agency: Agency) -> None:
    for month, value in demo_months():
        await set_index(session, month, value)
    for (unit_type, bedrooms), cents in DEMO_CAPS.items():
        await set_cap(session, agency.id, unit_type, bedrooms, cents, CAP_BASE_MONTH)
