"""Where offer tests happen: an agency, its allocation officer, a landlord's available flat and
households on the waiting list (each with a portal account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offers import Offer, send_offer
from sra.identity.current import acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Building, Household, HouseholdStatus, Unit, UnitStatus
from sra.register.unit_status import UnitStatusChange
from tests.sra.register.records import add_agency, add_household, add_landlord, add_unit, add_user

RENT, CHARGES = 52000, 6000


@dataclass
class OfferWorld:
    agency: Agency
    officer: User
    landlord_user: User
    unit: Unit
    household_user: User
    household: Household


async def add_waiting_household(
    db: AsyncSession, agency: Agency, name: str, locale: str = "en"
) -> tuple[User, Household]:
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    user.locale = locale
    household = await add_household(db, agency, name, user=user, status=HouseholdStatus.ACTIVE)
    household.locale = locale
    return user, household


async def make_offer_world(
    db: AsyncSession, name: str = "Agency", locale: str = "en"
) -> OfferWorld:
    agency = await add_agency(db, name)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    landlord_user = await add_user(db, Role.LANDLORD, agency.id)
    landlord = await add_landlord(db, agency, f"Owner at {name}", landlord_user)
    unit = await add_unit(db, landlord, "Flat 1", status=UnitStatus.AVAILABLE)
    unit.tenant_rent_cents, unit.charges_cents = RENT, CHARGES
    unit.floor, unit.bedrooms, unit.surface_m2, unit.energy_label = 2, 2, 64, "C"
    building = await db.get(Building, unit.building_id)
    assert building is not None
    building.lat, building.lon = 50.8466, 4.3528
    household_user, household = await add_waiting_household(db, agency, "Olena Example", locale)
    await db.commit()
    return OfferWorld(agency, officer, landlord_user, unit, household_user, household)


async def sent_offer(
    db: AsyncSession,
    world: OfferWorld,
    household: Household | None = None,
    *,
    days: int = 7,
    **links: object,
) -> Offer:
    offer = await send_offer(
        db,
        unit_id=world.unit.id,
        household_id=(household or world.household).id,
        officer=acting_as(world.officer),
        deadline=date.today() + timedelta(days=days),
        **links,  # type: ignore[arg-type]
    )
    await db.commit()
    return offer


async def statuses(db: AsyncSession, unit: Unit, household: Household) -> tuple[str, str]:
    """The unit's and the household's status as committed (read afresh, even after a rollback)."""
    unit_status = await db.scalar(select(Unit.status).where(Unit.id == id_of(unit)))
    household_status = await db.scalar(
        select(Household.status).where(Household.id == id_of(household))
    )
    return str(unit_status), str(household_status)


def id_of(row: object) -> UUID:
    """A row's id without loading it (its attributes expire on rollback)."""
    identity = inspect(row).identity
    assert identity is not None
    return UUID(str(identity[0]))


async def lets_of(db: AsyncSession, unit: Unit) -> int:
    """How many times the unit moved offered -> let."""
    count = await db.scalar(
        select(func.count())
        .select_from(UnitStatusChange)
        .where(
            UnitStatusChange.unit_id == id_of(unit),
            UnitStatusChange.from_status == UnitStatus.OFFERED,
            UnitStatusChange.to_status == UnitStatus.LET,
        )
    )
    return int(count or 0)
