"""Owner-scoped queries and agency-scoped figures return only what belongs to the owner."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from sra.register import figures
from sra.register.models import HouseholdStatus, UnitStatus
from sra.register.queries import (
    household_of_user,
    landlord_of_user,
    unit_of_landlord,
    units_of_landlord,
)
from tests.sra.register.records import (
    add_agency,
    add_household,
    add_landlord,
    add_unit,
    add_user,
)


async def test_a_landlord_gets_only_their_own_units(db: AsyncSession) -> None:
    agency = await add_agency(db)
    anna_user = await add_user(db, Role.LANDLORD)
    anna = await add_landlord(db, agency, "Anna", anna_user)
    bert = await add_landlord(db, agency, "Bert")
    anna_units = {(await add_unit(db, anna, label)).id for label in ("A1", "A2")}
    bert_unit = await add_unit(db, bert, "B1")

    assert await landlord_of_user(db, anna_user.id) == anna
    assert {u.id for u in await units_of_landlord(db, anna.id)} == anna_units
    assert await unit_of_landlord(db, anna.id, bert_unit.id) is None
    assert await unit_of_landlord(db, bert.id, bert_unit.id) == bert_unit


async def test_a_household_user_gets_only_their_own_household(db: AsyncSession) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD)
    other_user = await add_user(db, Role.HOUSEHOLD)
    mine = await add_household(db, agency, "Ada Test", (1985, 2015), user=user)
    await add_household(db, agency, "Bo Other", user=other_user)
    await db.commit()
    db.expunge_all()

    found = await household_of_user(db, user.id)

    assert found is not None
    assert found.id == mine.id
    assert (found.adults, found.size) == (1, 2)  # members came loaded
    assert await household_of_user(db, (await add_user(db, Role.HOUSEHOLD)).id) is None


async def test_figures_count_only_the_staff_members_agency(db: AsyncSession) -> None:
    ours, theirs = await add_agency(db, "Ours"), await add_agency(db, "Theirs")
    await add_unit(db, await add_landlord(db, ours, "Anna"), "A1", guaranteed_rent_cents=60000)
    await add_unit(db, await add_landlord(db, theirs, "Zed"), "Z1", guaranteed_rent_cents=90000)
    await add_household(db, ours, "Ada Test", (1990, 2012, 2016))
    await add_household(db, theirs, "Zoe Other", status=HouseholdStatus.SUBMITTED)

    units = await figures.units_by_status(db, ours.id)
    households = await figures.households_by_status(db, ours.id)

    assert units[UnitStatus.AVAILABLE] == 1
    assert sum(units.values()) == 1
    assert households[HouseholdStatus.ACTIVE] == 1
    assert households[HouseholdStatus.SUBMITTED] == 0
    assert (await figures.rent_totals(db, ours.id)).guaranteed_cents == 60000
    assert (await figures.waiting_by_size(db, ours.id))[3] == 1


async def test_guaranteed_rent_counts_every_flat_under_lease_let_or_not(db: AsyncSession) -> None:
    agency = await add_agency(db)
    landlord = await add_landlord(db, agency, "Anna")
    for label, status in (
        ("A", UnitStatus.AVAILABLE),
        ("B", UnitStatus.OFFERED),
        ("C", UnitStatus.LET),
        ("D", UnitStatus.APPROVED),
    ):
        await add_unit(db, landlord, label, status=status, guaranteed_rent_cents=10000)

    totals = await figures.rent_totals(db, agency.id)

    assert (totals.units, totals.guaranteed_cents) == (3, 30000)
