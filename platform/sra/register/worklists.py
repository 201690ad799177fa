"""Staff work lists from the register, scoped to one agency: the records waiting for someone."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra.register.models import (
    Building,
    Household,
    HouseholdStatus,
    Landlord,
    Unit,
    UnitStatus,
)

IN_INTAKE = (UnitStatus.SUBMITTED, UnitStatus.INSPECTION_SCHEDULED, UnitStatus.INSPECTED)
TO_VERIFY = (HouseholdStatus.SUBMITTED, HouseholdStatus.RETURNED)


async def units_in_intake(session: AsyncSession, agency_id: UUID | None) -> list[Unit]:
    """Units between submission and approval, oldest first, with building and landlord loaded."""
    query = (
        select(Unit)
        .join(Building, Building.id == Unit.building_id)
        .join(Landlord, Landlord.id == Building.landlord_id)
        .where(Unit.status.in_(IN_INTAKE))
        .options(selectinload(Unit.building).selectinload(Building.landlord))
        .order_by(Unit.created_at, Unit.label)
    )
    if agency_id is not None:
        query = query.where(Landlord.agency_id == agency_id)
    return list(await session.scalars(query))


async def households_to_verify(session: AsyncSession, agency_id: UUID | None) -> list[Household]:
    """Applications waiting for an allocation officer, oldest first, with members loaded."""
    query = (
        select(Household)
        .where(Household.status.in_(TO_VERIFY))
        .options(selectinload(Household.members))
        .order_by(Household.registered_on, Household.reference)
    )
    if agency_id is not None:
        query = query.where(Household.agency_id == agency_id)
    return list(await session.scalars(query))
