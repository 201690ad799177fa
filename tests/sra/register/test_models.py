"""The register refuses impossible records, in the model and in the database alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.register.models import (
    Building,
    Household,
    HouseholdMember,
    Landlord,
    LandlordKind,
    MemberRelation,
    Unit,
)
from tests.sra.register.records import add_agency, add_household, add_landlord, add_unit


async def test_unit_label_is_unique_within_a_building_only(db: AsyncSession) -> None:
    agency = await add_agency(db)
    landlord = await add_landlord(db, agency, "Owner")
    first = await add_unit(db, landlord, "A1")
    await add_unit(db, landlord, "A1")  # same label, another building: fine
    await db.commit()

    db.add(Unit(building_id=first.building_id, label="A1"))
    with pytest.raises(IntegrityError):
        await db.flush()
    await db.rollback()


@pytest.mark.parametrize("code", ["XX", "be", "EU", "BEL", ""])
def test_a_country_that_is_not_an_iso_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166"):
        Building(street="Rue", postcode="1000", municipality="Brussels", country=code)


async def test_database_refuses_a_lower_case_country_written_around_the_model(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    landlord = await add_landlord(db, agency, "Owner")
    await db.commit()

    statement = insert(Building).values(
        landlord_id=landlord.id, street="Rue", postcode="1000", municipality="X", country="be"
    )
    with pytest.raises(IntegrityError):
        await db.execute(statement)
    await db.rollback()


def test_iban_is_stored_compact_and_a_wrong_checksum_is_refused() -> None:
    landlord = Landlord(kind=LandlordKind.PERSON, name="Owner", iban="be68 5390 0754 7034")
    assert landlord.iban == "BE68539007547034"

    with pytest.raises(ValueError, match="IBAN"):
        Landlord(kind=LandlordKind.PERSON, name="Owner", iban="BE68 5390 0754 7035")


def test_adults_and_children_are_derived_from_birth_years() -> None:
    household = Household(
        members=[
            HouseholdMember(first_name="A", relation=MemberRelation.APPLICANT, birth_year=1990),
            HouseholdMember(first_name="B", relation=MemberRelation.CHILD, birth_year=2008),
            HouseholdMember(first_name="C", relation=MemberRelation.CHILD, birth_year=2015),
        ]
    )

    assert household.size == 3
    assert household.adults_in(2025) == 1
    assert household.adults_in(2026) == 2  # the older child turns 18
    this_year = date.today().year
    assert household.adults == household.adults_in(this_year)
    assert household.children == 3 - household.adults


async def test_rents_and_priority_points_out_of_range_are_refused(db: AsyncSession) -> None:
    agency = await add_agency(db)
    landlord = await add_landlord(db, agency, "Owner")
    unit = await add_unit(db, landlord, "A1")
    household = await add_household(db, agency, "Ada Test")
    await db.commit()

    unit.tenant_rent_cents = -1
    with pytest.raises(IntegrityError):
        await db.flush()
    await db.rollback()

    household.urgency = 1001
    with pytest.raises(IntegrityError):
        await db.flush()
    await db.rollback()


def test_household_personal_fields_are_pseudonymised_and_others_kept_in_the_audit_log() -> None:
    assert {"name", "email", "phone", "monthly_income_cents"} <= audit.PERSONAL_FIELDS["household"]
    assert "status" in audit.ALLOWED_FIELDS["household"]
    assert "status" not in audit.PERSONAL_FIELDS["household"]
    assert {"name", "iban"} <= audit.PERSONAL_FIELDS["landlord"]
    assert "guaranteed_rent_cents" in audit.ALLOWED_FIELDS["unit"]


async def test_erasing_a_household_replaces_its_name_in_the_audit_log(db: AsyncSession) -> None:
    agency = await add_agency(db)
    household = await add_household(db, agency, "Ada Test")
    entry = await audit.record(
        db,
        actor_id=None,
        actor_label="test",
        action="household.created",
        entity="household",
        entity_id=household.id,
        after={"name": household.name, "status": household.status, "secret_note": "x"},
    )
    assert entry.after == {"name": "Ada Test", "status": "active"}

    await audit.pseudonymise(db, "household", household.id, salt="s")

    assert entry.after is not None
    assert entry.after["name"].startswith("erased-")
    assert entry.after["status"] == "active"
