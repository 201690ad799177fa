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
