"""Rent caps: per unit type and bedrooms, indexed every 1 January by the health index."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import set_index
from sra.money import round_half_up_cents
from sra.register.rent_caps import UnitType, cap_for, indexation_month, indexed_cap, set_cap
from sra_app.demo_geo import CAP_BASE_MONTH, DEMO_CAPS, add_demo_indices_and_caps, demo_months
from tests.sra.register.records import add_agency

caps = st.integers(min_value=1, max_value=10_000_000)
indices = st.decimals(min_value=Decimal("50.00"), max_value=Decimal("500.00"), places=2)


@given(caps, indices)
def test_cap_is_unchanged_while_the_index_is(cap: int, index: Decimal) -> None:
    assert indexed_cap(cap, index, index) == cap


@given(caps, indices, indices, indices)
def test_cap_never_falls_when_the_index_rises(
    cap: int, base: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    assert indexed_cap(cap, base, low) <= indexed_cap(cap, base, high)


@given(caps, indices, indices)
def test_cap_is_rounded_once_half_up(cap: int, base: Decimal, current: Decimal) -> None:
    assert indexed_cap(cap, base, current) == round_half_up_cents(Decimal(cap) * current / base)


@given(caps, st.one_of(st.none(), indices), st.one_of(st.none(), indices))
def test_cap_stays_unindexed_when_an_index_is_missing(
    cap: int, base: Decimal | None, current: Decimal | None
) -> None:
    if base is None or current is None:
        assert indexed_cap(cap, base, current) == cap


def test_the_december_before_applies_all_year() -> None:
    assert indexation_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert indexation_month(date(2026, 12, 31)) == date(2025, 12, 1)


async def test_no_cap_configured_means_no_cap(db: AsyncSession) -> None:
    agency = await add_agency(db)

    assert await cap_for(db, agency.id, UnitType.APARTMENT, 2, date(2026, 3, 1)) is None


async def test_cap_is_indexed_from_the_base_month_to_the_december_before(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    await set_cap(db, agency.id, UnitType.APARTMENT, 2, 90000, date(2024, 12, 1))
    await set_index(db, date(2024, 12, 1), Decimal("130.00"))
    await set_index(db, date(2025, 12, 1), Decimal("132.61"))
    await set_index(db, date(2026, 6, 1), Decimal("140.00"))  # mid-year: not used until January

    in_2025 = await cap_for(db, agency.id, UnitType.APARTMENT, 2, date(2025, 7, 1))
    in_2026 = await cap_for(db, agency.id, UnitType.APARTMENT, 2, date(2026, 11, 30))

    assert in_2025 == 90000  # December 2024 is the base month itself
    assert in_2026 == 91807  # 90000 x 132.61 / 130.00 = 91806.92... rounded half up


async def test_cap_stays_unindexed_when_the_december_index_is_missing(db: AsyncSession) -> None:
    agency = await add_agency(db)
    await set_cap(db, agency.id, UnitType.STUDIO, 0, 65000, date(2024, 12, 1))
    await set_index(db, date(2024, 12, 1), Decimal("130.00"))

    assert await cap_for(db, agency.id, UnitType.STUDIO, 0, date(2026, 2, 1)) == 65000


async def test_caps_are_per_agency_type_and_bedrooms(db: AsyncSession) -> None:
    mine, other = await add_agency(db, "Mine"), await add_agency(db, "Other")
    await set_cap(db, mine.id, UnitType.HOUSE, 3, 120000, date(2024, 12, 1))
    await set_cap(db, mine.id, UnitType.HOUSE, 3, 125000, date(2024, 12, 1))  # a change

    on = date(2025, 5, 1)
    assert await cap_for(db, mine.id, UnitType.HOUSE, 3, on) == 125000
    assert await cap_for(db, mine.id, UnitType.HOUSE, 2, on) is None
    assert await cap_for(db, mine.id, UnitType.APARTMENT, 3, on) is None
    assert await cap_for(db, other.id, UnitType.HOUSE, 3, on) is None


async def test_demo_data_gives_indexed_caps(db: AsyncSession) -> None:
    agency = await add_agency(db)

    await add_demo_indices_and_caps(db, agency)

    index = dict(demo_months())
    expected = round_half_up_cents(
        Decimal(DEMO_CAPS[(UnitType.APARTMENT, 2)])
        * index[date(2025, 12, 1)]
        / index[CAP_BASE_MONTH]
    )
    got = await cap_for(db, agency.id, UnitType.APARTMENT, 2, date(2026, 3, 1))
    assert got == expected
    assert got > DEMO_CAPS[(UnitType.APARTMENT, 2)]
    assert len(index) == 46
    assert all(Decimal(120) < v < Decimal(136) for v in index.values())
