"""Three households of one agency and one of another: where the register tests happen.

Bram   active,    1 member,  step-free,  Schaerbeek, 700 points, registered 2023-06-01
Anna   active,    3 members, wheelchair, Ixelles,    700 points, registered 2024-01-01
Cleo   submitted, 5 members, no needs,   Namur,      200 points, registered 2022-03-01
Dirk   another agency, active, 900 points (never shown)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Household, HouseholdStatus
from tests.sra.register.records import add_agency, add_household, add_preferred_area, add_user

IXELLES = (50.8223, 4.3816)
SCHAERBEEK = (50.8676, 4.3737)
NAMUR = (50.4669, 4.8675)


@dataclass
class Register:
    agency: Agency
    officer: User
    caseworker: User
    anna: Household
    bram: Household
    cleo: Household
    dirk: Household

    def names(self, text: str) -> set[str]:
        """Which of the four households a page or a CSV mentions (by reference)."""
        every = {"anna": self.anna, "bram": self.bram, "cleo": self.cleo, "dirk": self.dirk}
        return {name for name, h in every.items() if h.reference in text}


async def _household(
    db: AsyncSession,
    agency: Agency,
    name: str,
    members: tuple[int, ...],
    *,
    status: HouseholdStatus,
    urgency: int,
    registered_on: date,
    area: tuple[str, tuple[float, float]] | None,
) -> Household:
    household = await add_household(db, agency, name, members, status=status)
    household.urgency = urgency
    household.registered_on = registered_on
    if area is not None:
        await add_preferred_area(db, household, area[0], *area[1])
    return household


async def make_register(db: AsyncSession) -> Register:
    agency = await add_agency(db, "Brussels agency")
    other = await add_agency(db, "Other agency")
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    caseworker = await add_user(db, Role.CASEWORKER, agency.id)
    active = HouseholdStatus.ACTIVE
    anna = await _household(
        db,
        agency,
        "Anna Example",
        (1980, 2012, 2016),
        status=active,
        urgency=700,
        registered_on=date(2024, 1, 1),
        area=("Ixelles", IXELLES),
    )
    anna.wheelchair = True
    anna.other_needs = "Needs a carer's room"
    anna.email = "anna@example.org"
    bram = await _household(
        db,
        agency,
        "Bram Example",
        (1990,),
        status=active,
        urgency=700,
        registered_on=date(2023, 6, 1),
        area=("Schaerbeek", SCHAERBEEK),
    )
    bram.step_free = True
    cleo = await _household(
        db,
        agency,
        "Cleo Example",
        (1975, 1978, 2005, 2010, 2014),
        status=HouseholdStatus.SUBMITTED,
        urgency=200,
        registered_on=date(2022, 3, 1),
        area=("Namur", NAMUR),
    )
    dirk = await _household(
        db,
        other,
        "Dirk Example",
        (1970,),
        status=active,
        urgency=900,
        registered_on=date(2020, 1, 1),
        area=("Ixelles", IXELLES),
    )
    await db.commit()
    return Register(agency, officer, caseworker, anna, bram, cleo, dirk)
