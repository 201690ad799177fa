"""Small builders for register rows in tests: each call makes a distinct, valid record."""

from __future__ import annotations

import itertools
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import (
    Agency,
    Building,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Landlord,
    LandlordKind,
    MemberRelation,
    Unit,
    UnitStatus,
)

_numbers = itertools.count(1)


async def add_agency(db: AsyncSession, name: str = "Test agency") -> Agency:
    agency = Agency(name=name, country="BE", currency="EUR")
    db.add(agency)
    await db.flush()
    return agency


async def add_user(db: AsyncSession, role: Role, agency_id: UUID | None = None) -> User:
    n = next(_numbers)
    user = User(email=f"user{n}@example.org", display_name=f"User {n}", role=role)
    user.agency_id = agency_id
    db.add(user)
    await db.flush()
    return user


async def add_landlord(
    db: AsyncSession, agency: Agency, name: str, user: User | None = None
) -> Landlord:
    landlord = Landlord(
        agency_id=agency.id,
        user_id=user.id if user else None,
        kind=LandlordKind.PERSON,
        name=name,
    )
    db.add(landlord)
    await db.flush()
    return landlord


async def add_unit(
    db: AsyncSession,
    landlord: Landlord,
    label: str,
    *,
    street: str | None = None,
    status: UnitStatus = UnitStatus.AVAILABLE,
    guaranteed_rent_cents: int | None = 70000,
) -> Unit:
    building = Building(
        landlord_id=landlord.id,
        street=street or f"Test street {next(_numbers)}",
        postcode="1000",
        municipality="Brussels",
        country="BE",
    )
    db.add(building)
    await db.flush()
    unit = Unit(
        building_id=building.id,
        label=label,
        status=status,
        guaranteed_rent_cents=guaranteed_rent_cents,
    )
    db.add(unit)
    await db.flush()
    return unit


async def add_household(
    db: AsyncSession,
    agency: Agency,
    name: str,
    birth_years: tuple[int, ...] = (1980,),
    *,
    user: User | None = None,
    status: HouseholdStatus = HouseholdStatus.ACTIVE,
) -> Household:
    members = [
        HouseholdMember(
            first_name=f"{name.split()[0]}{i}",
            relation=MemberRelation.APPLICANT if i == 0 else MemberRelation.CHILD,
            birth_year=year,
        )
        for i, year in enumerate(birth_years)
    ]
    household = Household(
        agency_id=agency.id,
        user_id=user.id if user else None,
        reference=f"T-{next(_numbers):05d}",
        name=name,
        status=status,
        registered_on=date(2025, 1, 15),
        members=members,
    )
    db.add(household)
    await db.flush()
    return household


async def add_applicant(
    db: AsyncSession,
    agency: Agency,
    name: str,
    birth_years: tuple[int, ...] = (1985, 2015, 2018),
    *,
    user: User | None = None,
    status: HouseholdStatus = HouseholdStatus.SUBMITTED,
) -> Household:
    """A household that sent a complete application: consent, an income, a housing need."""
    from datetime import UTC, datetime

    from sra.register.models import HouseholdIncome, IncomeSource

    household = await add_household(db, agency, name, birth_years, user=user, status=status)
    household.consent_given = True
    household.consent_given_at = datetime.now(UTC)
    household.ethos_category = 3  # houseless: in a shelter
    household.monthly_income_cents = 120000
    household.submitted_at = datetime.now(UTC)
    db.add(
        HouseholdIncome(
            household_id=household.id, source=IncomeSource.BENEFITS, amount_cents=120000
        )
    )
    await db.flush()
    return household


async def add_preferred_area(
    db: AsyncSession, household: Household, name: str, lat: float, lon: float
) -> None:
    from sra.register.models import PreferredArea

    db.add(PreferredArea(household_id=household.id, name=name, lat=lat, lon=lon))
    await db.flush()


async def add_household_document(
    db: AsyncSession, household: Household, kind: str, filename: str, content_type: str
) -> UUID:
    """A document row and its stored-file row (no bytes on disk); returns the file id."""
    from sra.files import StoredFile
    from sra.households.documents import OWNER_KIND, DocumentKind, HouseholdDocument

    stored = StoredFile(
        owner_kind=OWNER_KIND,
        owner_id=str(household.id),
        filename=filename,
        content_type=content_type,
        size_bytes=10,
        sha256="0" * 64,
        storage_key=f"te/st/{next(_numbers):032d}",
    )
    db.add(stored)
    await db.flush()
    db.add(HouseholdDocument(household_id=household.id, kind=DocumentKind(kind), file_id=stored.id))
    await db.flush()
    return stored.id


async def add_household_account(
    db: AsyncSession,
    agency: Agency,
    name: str = "Olena Example",
    birth_years: tuple[int, ...] = (1985,),
    *,
    status: HouseholdStatus = HouseholdStatus.DRAFT,
) -> tuple[User, Household]:
    """A household user with its application (draft by default: no income, place or consent)."""
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(db, agency, name, birth_years, user=user, status=status)
    await db.commit()
    return user, household


async def add_placed_unit(
    db: AsyncSession,
    landlord: Landlord,
    label: str,
    *,
    lat: float = 50.85,
    lon: float = 4.35,
    occupants: tuple[int, int] = (1, 4),
    tenant_rent_cents: int | None = 50000,
    charges_cents: int = 5000,
    status: UnitStatus = UnitStatus.AVAILABLE,
) -> Unit:
    """An available unit, its building placed on the map and its tenant rent set (a round's
    unit); each call is a new building."""
    unit = await add_unit(db, landlord, label, status=status)
    unit.min_occupants, unit.max_occupants = occupants
    unit.tenant_rent_cents, unit.charges_cents = tenant_rent_cents, charges_cents
    building = await db.get(Building, unit.building_id)
    assert building is not None
    building.lat, building.lon = lat, lon
    await db.flush()
    return unit


async def add_round_household(
    db: AsyncSession,
    agency: Agency,
    name: str,
    birth_years: tuple[int, ...] = (1980,),
    *,
    urgency: int = 0,
    registered_on: date = date(2025, 1, 15),
    income_cents: int = 200000,
    status: HouseholdStatus = HouseholdStatus.ACTIVE,
) -> Household:
    """An active household on the waiting list with its points (urgency) and income."""
    household = await add_household(db, agency, name, birth_years, status=status)
    household.urgency = urgency
    household.registered_on = registered_on
    household.monthly_income_cents = income_cents
    await db.flush()
    return household


import typing  # noqa: E402  (factories are appended here; the module's head stays as it is)

if typing.TYPE_CHECKING:
    from matching.rounds import AllocationRound, RoundHousehold


async def add_solved_round(
    db: AsyncSession,
    agency: Agency,
    name: str = "Spring round",
    *,
    status: str = "proposed",
    mode: str = "max_housed",
    problem: dict[str, object] | None = None,
) -> AllocationRound:
    """An allocation round as the solve leaves it (no solver run: outcomes are added with
    ``add_round_outcome``)."""
    from matching.rounds import AllocationRound, RoundMode, RoundStatus

    round_ = AllocationRound(
        agency_id=agency.id,
        name=name,
        round_date=date(2026, 3, 1),
        status=RoundStatus(status),
        mode=RoundMode(mode),
        weight_urgency=10,
        weight_waiting_day=1,
        weight_km=3,
        affordability_ratio="0.35",
        run_number=1,
        progress_percent=100,
        problem=problem,
    )
    db.add(round_)
    await db.flush()
    return round_


async def add_round_outcome(
    db: AsyncSession,
    round_id: UUID,
    household: Household,
    outcome: str,
    *,
    rules: dict[str, int] | None = None,
    given_to: list[dict[str, str | None]] | None = None,
    proposed_unit_id: UUID | None = None,
) -> RoundHousehold:
    """A household's row in a round with the outcome the solver would have stored."""
    from matching.rounds import Outcome, RoundHousehold

    row = RoundHousehold(
        round_id=round_id,
        household_id=household.id,
        urgency=10,
        high_support=False,
        days_waiting=30,
        size=len(household.members) or 1,
        outcome=Outcome(outcome),
        rules=rules,
        given_to=given_to,
        proposed_unit_id=proposed_unit_id,
    )
    db.add(row)
    await db.flush()
    return row
