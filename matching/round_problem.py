"""A round's matching.problem.Problem, read from the database.

Units: the round's units that are still ``available`` (agency-scoped), with their building's
place, the tenant rent as ``rent_cents`` and the charges. Households: the agency's ``active``
ones, their points as ``urgency``, intensive support as ``high_support``, adults and children
counted in the round's year, preferred areas, and the units they declined as
``excluded_units``. A household that declined an offer under a penalty sits out that many of
the agency's rounds. Buildings: how many of their let units house a high-support household.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.subleases import Sublease
from matching.offers import Offer, OfferStatus
from matching.problem import (
    Building,
    Household,
    Location,
    Policy,
    Problem,
    Unit,
    Weights,
    decode_problem,
)
from matching.rounds import AllocationRound, RoundUnit
from sra.households.facts import facts_of, verified_facts
from sra.register.models import Building as BuildingRow
from sra.register.models import Household as HouseholdRow
from sra.register.models import HouseholdStatus, Landlord, SupportNeed, UnitStatus
from sra.register.models import Unit as UnitRow

MAX_PEOPLE = 20  # the contract's range for adults and for children


class RoundDataError(ValueError):
    """The register holds something the solver cannot take (the message names the record)."""


@dataclass(frozen=True)
class HouseholdSnapshot:
    """What the round keeps of a household besides the solver's fields (fairness report)."""

    household_id: UUID
    urgency: int
    high_support: bool
    days_waiting: int
    size: int
    disability_need: bool
    displaced: bool
    ethos_group: str | None


def policy_of(round_: AllocationRound) -> Policy:
    ratio = round_.affordability_ratio
    return Policy(
        mode=round_.mode.value,
        affordability_ratio=float(ratio) if ratio is not None else None,
        weights=Weights(round_.weight_urgency, round_.weight_waiting_day, round_.weight_km),
        max_high_support_per_building=round_.max_high_support_per_building,
    )


async def build_problem(
    session: AsyncSession, round_: AllocationRound
) -> tuple[Problem, list[HouseholdSnapshot]]:
    """The round's problem, checked as strictly as `sra allocate` checks a file."""
    units = await _units(session, round_)
    households = await _households(session, round_)
    declined = await _declined(session, [h.id for h in households], [u.id for u in units])
    lets = await high_support_lets(session, {u.building_id for u in units})
    problem = Problem(
        round_date=round_.round_date,
        policy=policy_of(round_),
        buildings=[Building(str(b), n) for b, n in sorted(lets.items(), key=lambda x: str(x[0]))],
        units=[_unit(u) for u in units],
        households=[_household(h, round_, declined.get(h.id, [])) for h in households],
    )
    try:  # Structs built in code skip msgspec's range checks: decode them as a file would be.
        checked = decode_problem(msgspec.json.encode(problem))
    except ValueError as exc:
        raise RoundDataError(str(exc)) from None
    return checked, [_snapshot(h, round_) for h in households]


async def _units(session: AsyncSession, round_: AllocationRound) -> list[UnitRow]:
    rows = await session.scalars(
        select(UnitRow)
        .join(RoundUnit, RoundUnit.unit_id == UnitRow.id)
        .join(BuildingRow, BuildingRow.id == UnitRow.building_id)
        .join(Landlord, Landlord.id == BuildingRow.landlord_id)
        .where(
            RoundUnit.round_id == round_.id,
            Landlord.agency_id == round_.agency_id,
            UnitRow.status == UnitStatus.AVAILABLE,
        )
        .options(selectinload(UnitRow.building))
        .order_by(UnitRow.id)
    )
    return list(rows)


def _unit(unit: UnitRow) -> Unit:
    building = unit.building
    if building.lat is None or building.lon is None or unit.tenant_rent_cents is None:
        raise RoundDataError(f"unit {unit.label} ({unit.id}) has no place on the map or no rent")
    return Unit(
        id=str(unit.id),
        building_id=str(unit.building_id),
        min_occupants=unit.min_occupants,
        max_occupants=unit.max_occupants,
        rent_cents=unit.tenant_rent_cents,
        charges_cents=unit.charges_cents,
        wheelchair_accessible=unit.wheelchair_accessible,
        step_free=unit.step_free,
        lat=building.lat,
        lon=building.lon,
        available_from=unit.available_from,
    )


async def _households(session: AsyncSession, round_: AllocationRound) -> list[HouseholdRow]:
    rows = await session.scalars(
        select(HouseholdRow)
        .where(
            HouseholdRow.agency_id == round_.agency_id,
            HouseholdRow.status == HouseholdStatus.ACTIVE,
        )
        .options(selectinload(HouseholdRow.members), selectinload(HouseholdRow.preferred_areas))
        .order_by(HouseholdRow.registered_on, HouseholdRow.reference)
    )
    households = list(rows)
    sitting_out = await _sitting_out(session, round_, [h.id for h in households])
    return [h for h in households if h.id not in sitting_out]


def _people(household: HouseholdRow, year: int) -> tuple[int, int]:
    """(adults, children) in the round's year; a household of minors only counts one adult."""
    size = len(household.members)
    adults = max(1, household.adults_in(year))
    return min(MAX_PEOPLE, adults), min(MAX_PEOPLE, max(0, size - adults))


def _household(household: HouseholdRow, round_: AllocationRound, declined: list[str]) -> Household:
    adults, children = _people(household, round_.round_date.year)
    return Household(
        id=str(household.id),
        adults=adults,
        children=children,
        monthly_income_cents=household.monthly_income_cents,
        max_rent_cents=household.max_rent_cents,
        wheelchair=household.wheelchair,
        step_free=household.step_free,
        preferred_locations=[Location(a.lat, a.lon) for a in household.preferred_areas][:20],
        max_distance_km=household.max_distance_km,
        urgency=household.urgency,
        registered_on=household.registered_on,
        excluded_units=declined,
        high_support=household.support_need is SupportNeed.INTENSIVE,
    )


def _snapshot(household: HouseholdRow, round_: AllocationRound) -> HouseholdSnapshot:
    facts = verified_facts(household) or facts_of(household, round_.round_date)
    group = facts.ethos_group
    return HouseholdSnapshot(
        household_id=household.id,
        urgency=household.urgency,
        high_support=household.support_need is SupportNeed.INTENSIVE,
        days_waiting=max(0, (round_.round_date - household.registered_on).days),
        size=len(household.members),
        disability_need=facts.disability,
        displaced=facts.displaced,
        ethos_group=group.value if group else None,
    )


async def _declined(
    session: AsyncSession, household_ids: list[UUID], unit_ids: list[UUID]
) -> dict[UUID, list[str]]:
    """household -> the round's units it declined an offer for (sorted, as text ids)."""
    if not household_ids or not unit_ids:
        return {}
    rows = await session.execute(
        select(Offer.household_id, Offer.unit_id)
        .where(
            Offer.status == OfferStatus.DECLINED,
            Offer.household_id.in_(household_ids),
            Offer.unit_id.in_(unit_ids),
        )
        .distinct()
    )
    found: dict[UUID, list[str]] = {}
    for household_id, unit_id in rows.tuples():
        found.setdefault(household_id, []).append(str(unit_id))
    return {h: sorted(units) for h, units in found.items()}


async def _sitting_out(
    session: AsyncSession, round_: AllocationRound, household_ids: list[UUID]
) -> set[UUID]:
    """Households still serving a decline penalty: fewer of the agency's rounds were created
    since they declined (this one excluded) than the penalty's rounds."""
    if not household_ids:
        return set()
    rows = await session.execute(
        select(Offer.household_id, Offer.answered_at, Offer.penalty_rounds).where(
            Offer.status == OfferStatus.DECLINED,
            Offer.penalty_rounds > 0,
            Offer.household_id.in_(household_ids),
        )
    )
    out: set[UUID] = set()
    for household_id, answered_at, penalty in rows.tuples():
        if household_id not in out and await _rounds_since(session, round_, answered_at) < penalty:
            out.add(household_id)
    return out


async def _rounds_since(
    session: AsyncSession, round_: AllocationRound, moment: datetime | None
) -> int:
    query = select(func.count()).where(
        AllocationRound.agency_id == round_.agency_id,
        AllocationRound.id != round_.id,
        AllocationRound.created_at < round_.created_at,
    )
    if moment is not None:
        query = query.where(AllocationRound.created_at > moment)
    return int(await session.scalar(query) or 0)


async def high_support_lets(session: AsyncSession, building_ids: Iterable[UUID]) -> dict[UUID, int]:
    """building -> how many of its let units house a high-support household.

    Who lives in a let unit: the household of its latest accepted offer, or of its latest
    sublease when no accepted offer is known (a let recorded without an offer)."""
    buildings = set(building_ids)
    if not buildings:
        return {}
    rows = await session.execute(
        select(UnitRow.id, UnitRow.building_id).where(
            UnitRow.building_id.in_(buildings), UnitRow.status == UnitStatus.LET
        )
    )
    let_units = {unit_id: building_id for unit_id, building_id in rows.tuples()}
    occupant: dict[UUID, UUID] = {}
    if let_units:
        subleases = await session.execute(
            select(Sublease.unit_id, Sublease.household_id)
            .where(Sublease.unit_id.in_(let_units))
            .order_by(Sublease.created_at)
        )
        offers = await session.execute(
            select(Offer.unit_id, Offer.household_id)
            .where(Offer.unit_id.in_(let_units), Offer.status == OfferStatus.ACCEPTED)
            .order_by(Offer.answered_at)
        )
        # Later rows win: the latest sublease, then the latest accepted offer over it.
        for unit_id, household_id in [*subleases.tuples(), *offers.tuples()]:
            occupant[unit_id] = household_id
    intensive = set(
        await session.scalars(
            select(HouseholdRow.id).where(
                HouseholdRow.id.in_(set(occupant.values())),
                HouseholdRow.support_need == SupportNeed.INTENSIVE,
            )
        )
    )
    counts = dict.fromkeys(buildings, 0)
    for unit_id, household_id in occupant.items():
        if household_id in intensive:
            counts[let_units[unit_id]] += 1
    return counts
