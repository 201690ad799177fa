"""Owner-scoped reads of the register: what one landlord or one household may see.

Every function takes the owner's id and filters on it in SQL, so a page built on them cannot
show another party's record (STYLE.md: two-layer authorisation).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra.register.models import Agency, Building, Household, Landlord, Unit


async def landlord_of_user(session: AsyncSession, user_id: UUID) -> Landlord | None:
    landlord: Landlord | None = await session.scalar(
        select(Landlord).where(Landlord.user_id == user_id)
    )
    return landlord


async def household_of_user(session: AsyncSession, user_id: UUID) -> Household | None:
    """The signed-in household's record with its members and preferred areas loaded."""
    household: Household | None = await session.scalar(
        select(Household)
        .where(Household.user_id == user_id)
        .options(selectinload(Household.members), selectinload(Household.preferred_areas))
    )
    return household


async def buildings_of_landlord(session: AsyncSession, landlord_id: UUID) -> list[Building]:
    """The landlord's buildings, each with its units (ordered by label)."""
    rows = await session.scalars(
        select(Building)
        .where(Building.landlord_id == landlord_id)
        .options(selectinload(Building.units))
        .order_by(Building.municipality, Building.street)
    )
    buildings = list(rows)
    for building in buildings:
        building.units.sort(key=lambda unit: unit.label)
    return buildings


async def units_of_landlord(session: AsyncSession, landlord_id: UUID) -> list[Unit]:
    """The landlord's units, each with its building loaded."""
    rows = await session.scalars(
        select(Unit)
        .join(Building, Building.id == Unit.building_id)
        .where(Building.landlord_id == landlord_id)
        .options(selectinload(Unit.building))
        .order_by(Building.municipality, Building.street, Unit.label)
    )
    return list(rows)


async def unit_of_landlord(session: AsyncSession, landlord_id: UUID, unit_id: UUID) -> Unit | None:
    """One unit, only when it belongs to the landlord (None otherwise: the caller answers 404)."""
    unit: Unit | None = await session.scalar(
        select(Unit)
        .join(Building, Building.id == Unit.building_id)
        .where(Unit.id == unit_id, Building.landlord_id == landlord_id)
        .options(selectinload(Unit.building))
    )
    return unit


async def agency_of_unit(session: AsyncSession, unit: Unit) -> UUID | None:
    """The agency of the unit's landlord."""
    agency: UUID | None = await session.scalar(
        select(Landlord.agency_id)
        .join(Building, Building.landlord_id == Landlord.id)
        .where(Building.id == unit.building_id)
    )
    return agency


async def agency_currency(session: AsyncSession, agency_id: UUID | None) -> str:
    """The agency's currency (EUR when the agency is unknown)."""
    if agency_id is None:
        return "EUR"
    currency = await session.scalar(select(Agency.currency).where(Agency.id == agency_id))
    return currency or "EUR"
