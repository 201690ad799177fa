"""Where round tests happen: an agency with an allocation officer, three flats and four
households whose result is worked out by hand (weights 10 / 1 / 3, no affordability issue).

- Flat A (1-4 people) at (50.85, 4.35); Flat B (1 person) 0.01 degree north, 1.112 km away;
  Flat C (5-6 people): fits nobody.
- Ann, 1 person, 50 points, 30 days waiting, prefers (50.85, 4.35): 530 for A,
  530 - (3 x 1112) // 1000 = 527 for B.
- Bo, 2 people, displaced, 20 points, 10 days: 210 for A (fits only A).
- Cy, 1 person in a wheelchair, 80 points: no flat is wheelchair accessible.
- Di, 1 person, 5 points, 5 days: 55 for A and for B.

The optimum houses Ann in B and Bo in A (527 + 210 = 737); a waitlist houses Ann in A and
Di in B (530 + 55 = 585).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from matching.rounds import AllocationRound, RoundMode, RoundPolicy, create_round
from sra.db import make_sessionmaker
from sra.identity.current import acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.jobs import run_due_jobs
from sra.register.models import Agency, Household, HouseholdStatus, Landlord, Unit
from sra.settings import Settings
from tests.sra.register.records import (
    add_agency,
    add_landlord,
    add_placed_unit,
    add_preferred_area,
    add_round_household,
    add_user,
)

ROUND_DATE = date.today()
POLICY = RoundPolicy(
    mode=RoundMode.MAX_HOUSED,
    weight_urgency=10,
    weight_waiting_day=1,
    weight_km=3,
    affordability_ratio="0.35",
    max_high_support_per_building=None,
)


@dataclass
class RoundWorld:
    agency: Agency
    officer: User
    landlord: Landlord
    flat_a: Unit
    flat_b: Unit
    flat_c: Unit
    ann: Household
    bo: Household
    cy: Household
    di: Household

    @property
    def units(self) -> list[Unit]:
        return [self.flat_a, self.flat_b, self.flat_c]


def days_ago(n: int) -> date:
    return ROUND_DATE - timedelta(days=n)


async def make_round_world(db: AsyncSession, name: str = "Agency") -> RoundWorld:
    agency = await add_agency(db, name)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    landlord = await add_landlord(db, agency, f"Owner at {name}")
    flat_a = await add_placed_unit(db, landlord, "Flat A", occupants=(1, 4))
    flat_b = await add_placed_unit(db, landlord, "Flat B", lat=50.86, occupants=(1, 1))
    flat_c = await add_placed_unit(db, landlord, "Flat C", occupants=(5, 6))
    ann = await add_round_household(
        db, agency, "Ann Example", urgency=50, registered_on=days_ago(30)
    )
    ann.ethos_category = 3  # houseless
    ann.max_distance_km = 10.0
    await add_preferred_area(db, ann, "Centre", 50.85, 4.35)
    bo = await add_round_household(
        db, agency, "Bo Example", (1980, 2015), urgency=20, registered_on=days_ago(10)
    )
    bo.displaced, bo.ethos_category = True, 9  # insecure
    cy = await add_round_household(db, agency, "Cy Example", urgency=80, registered_on=days_ago(3))
    cy.wheelchair = True
    di = await add_round_household(db, agency, "Di Example", urgency=5, registered_on=days_ago(5))
    await db.commit()
    return RoundWorld(agency, officer, landlord, flat_a, flat_b, flat_c, ann, bo, cy, di)


async def add_other_households(db: AsyncSession, world: RoundWorld) -> None:
    """Households a round of the world's agency must not see."""
    other = await add_agency(db, "Other agency")
    await add_round_household(db, other, "Elsewhere Example", urgency=900)
    await add_round_household(
        db, world.agency, "Inactive Example", urgency=900, status=HouseholdStatus.INACTIVE
    )
    await db.commit()


async def new_round(
    db: AsyncSession, world: RoundWorld, policy: RoundPolicy = POLICY
) -> AllocationRound:
    round_ = await create_round(
        db,
        agency_id=world.agency.id,
        name="Test round",
        round_date=ROUND_DATE,
        unit_ids=[u.id for u in world.units],
        policy=policy,
        actor=acting_as(world.officer),
    )
    await db.commit()
    return round_


def maker_of(db: AsyncSession) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(db.bind)  # type: ignore[arg-type]


async def run_jobs(db: AsyncSession, settings: Settings) -> None:
    import matching.round_jobs  # noqa: F401  (registers the solve task)

    await run_due_jobs(maker_of(db), settings)


async def solved_round(
    db: AsyncSession, world: RoundWorld, settings: Settings, policy: RoundPolicy = POLICY
) -> AllocationRound:
    round_ = await new_round(db, world, policy)
    await run_jobs(db, settings)
    await db.refresh(round_)
    return round_
