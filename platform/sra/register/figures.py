"""Aggregate figures of one agency's register for staff dashboards: counts and sums, no names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.register.models import (
    Building,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Landlord,
    SupportNeed,
    Unit,
    UnitStatus,
)

# Statuses in which a household is waiting for a home.
WAITING = (HouseholdStatus.ACTIVE, HouseholdStatus.OFFERED)
# Units the agency can let now.
LETTABLE = (UnitStatus.AVAILABLE,)
# Units whose head lease or mandate is signed: the guaranteed rent is due, let or not.
UNDER_LEASE = (UnitStatus.AVAILABLE, UnitStatus.OFFERED, UnitStatus.LET)


@dataclass(frozen=True, slots=True)
class RentTotals:
    """Monthly sums over the available units: what the agency pays and what it will collect."""

    units: int
    guaranteed_cents: int
    tenant_cents: int

    @property
    def gap_cents(self) -> int:
        """The monthly rent subsidy the agency carries when all of them are let."""
        return self.guaranteed_cents - self.tenant_cents


@dataclass(frozen=True, slots=True)
class AccessNeeds:
    """Waiting households with an access need, beside the available units meeting it."""

    wheelchair_households: int
    wheelchair_units: int
    step_free_households: int
    step_free_units: int


def _units_of(agency_id: UUID | None, query: Select[Any]) -> Select[Any]:
    query = query.join(Building, Building.id == Unit.building_id)
    if agency_id is None:
        return query
    return query.join(Landlord, Landlord.id == Building.landlord_id).where(
        Landlord.agency_id == agency_id
    )


def _households_of(agency_id: UUID | None, query: Select[Any]) -> Select[Any]:
    return query if agency_id is None else query.where(Household.agency_id == agency_id)


async def units_by_status(session: AsyncSession, agency_id: UUID | None) -> dict[UnitStatus, int]:
    rows = await session.execute(
        _units_of(agency_id, select(Unit.status, func.count(Unit.id))).group_by(Unit.status)
    )
    counts = {status: int(n) for status, n in rows.tuples()}
    return {status: counts.get(status, 0) for status in UnitStatus}


async def households_by_status(
    session: AsyncSession, agency_id: UUID | None
) -> dict[HouseholdStatus, int]:
    rows = await session.execute(
        _households_of(agency_id, select(Household.status, func.count(Household.id))).group_by(
            Household.status
        )
    )
    counts = {status: int(n) for status, n in rows.tuples()}
    return {status: counts.get(status, 0) for status in HouseholdStatus}


async def waiting_by_support_need(
    session: AsyncSession, agency_id: UUID | None
) -> dict[SupportNeed, int]:
    rows = await session.execute(
        _households_of(
            agency_id,
            select(Household.support_need, func.count(Household.id)).where(
                Household.status.in_(WAITING)
            ),
        ).group_by(Household.support_need)
    )
    counts = {need: int(n) for need, n in rows.tuples()}
    return {need: counts.get(need, 0) for need in SupportNeed}


async def waiting_by_size(session: AsyncSession, agency_id: UUID | None) -> dict[int, int]:
    """Waiting households by number of members (a household of 6 or more counts under 6)."""
    sizes = (
        _households_of(
            agency_id,
            select(Household.id, func.count(HouseholdMember.id).label("size"))
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)
            .where(Household.status.in_(WAITING)),
        )
        .group_by(Household.id)
        .subquery()
    )
    rows = await session.execute(select(sizes.c.size, func.count()).group_by(sizes.c.size))
    result = dict.fromkeys(range(1, 7), 0)
    for size, n in rows.tuples():
        result[min(int(size), 6)] += int(n)
    return result


async def rent_totals(session: AsyncSession, agency_id: UUID | None) -> RentTotals:
    row = (
        await session.execute(
            _units_of(
                agency_id,
                select(
                    func.count(Unit.id),
                    func.coalesce(func.sum(Unit.guaranteed_rent_cents), 0),
                    func.coalesce(func.sum(Unit.tenant_rent_cents), 0),
                ),
            ).where(Unit.status.in_(UNDER_LEASE))
        )
    ).one()
    return RentTotals(units=int(row[0]), guaranteed_cents=int(row[1]), tenant_cents=int(row[2]))


async def access_needs(session: AsyncSession, agency_id: UUID | None) -> AccessNeeds:
    async def count_households(*conditions: Any) -> int:
        query = select(func.count(Household.id)).where(Household.status.in_(WAITING), *conditions)
        return int(await session.scalar(_households_of(agency_id, query)) or 0)

    async def count_units(*conditions: Any) -> int:
        query = select(func.count(Unit.id)).where(Unit.status.in_(LETTABLE), *conditions)
        return int(await session.scalar(_units_of(agency_id, query)) or 0)

    return AccessNeeds(
        wheelchair_households=await count_households(Household.wheelchair.is_(True)),
        wheelchair_units=await count_units(Unit.wheelchair_accessible.is_(True)),
        # A wheelchair user needs step-free access too, and (eligibility rule) a
        # wheelchair-accessible unit also serves a step-free need.
        step_free_households=await count_households(
            (Household.step_free.is_(True)) | (Household.wheelchair.is_(True))
        ),
        step_free_units=await count_units(
            (Unit.step_free.is_(True)) | (Unit.wheelchair_accessible.is_(True))
        ),
    )


async def median_waiting_days(
    session: AsyncSession, agency_id: UUID | None, today: date | None = None
) -> int | None:
    """Median days since registration of the waiting households (None when nobody waits)."""
    rows = await session.scalars(
        _households_of(
            agency_id, select(Household.registered_on).where(Household.status.in_(WAITING))
        )
    )
    today = today or date.today()
    days: list[int] = sorted((today - registered).days for registered in rows)
    if not days:
        return None
    middle = len(days) // 2
    return days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) // 2


async def households_with_support_need(
    session: AsyncSession, agency_id: UUID | None, need: SupportNeed
) -> list[Household]:
    """Waiting households with the given support need, longest waiting first (for caseworkers)."""
    rows = await session.scalars(
        _households_of(
            agency_id,
            select(Household).where(Household.status.in_(WAITING), Household.support_need == need),
        ).order_by(Household.registered_on)
    )
    return list(rows)
