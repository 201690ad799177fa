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
