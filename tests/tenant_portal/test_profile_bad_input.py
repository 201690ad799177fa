"""Bad input on every profile form: the error beside the field, status 400, nothing stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.register.models import HouseholdIncome, HouseholdMember, PreferredArea
from tests.landlord_portal.accounts import Client, count, error_beside, post
from tests.tenant_portal.test_profile_pages import signed_in_household

NEXT_YEAR = str(date.today().year + 1)
GOOD_MEMBER = {"first_name": "Mia", "relation": "child", "birth_year": "2016"}
GOOD_INCOME = {"source": "work", "amount": "900"}

MEMBER_CASES = [
    ("birth_year", {"birth_year": NEXT_YEAR}, "cannot be in the future"),
    ("birth_year", {"birth_year": "nineteen"}, "four digits"),
    ("birth_year", {"birth_year": ""}, "Please enter the year of birth"),
    ("birth_year", {"birth_year": "1850"}, "too long ago"),
    ("first_name", {"first_name": ""}, "Please enter the first name"),
    ("relation", {"relation": "landlord"}, "who this person is"),
]


@pytest.mark.parametrize(("field", "change", "message"), MEMBER_CASES)
async def test_a_wrong_member_is_refused_beside_the_field(
    client: Client, db: AsyncSession, field: str, change: dict[str, str], message: str
) -> None:
    await signed_in_household(client, db)

    response = await post(client, "/tenant/profile/members", {**GOOD_MEMBER, **change})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    assert "Nothing was saved" in response.text
    assert await count(db, HouseholdMember) == 1  # the factory's applicant only
    assert await count(db, AuditEntry) == 0


INCOME_CASES = [
    ("amount", {"amount": "a lot"}, "in numbers"),
    ("amount", {"amount": "-250"}, "cannot be below zero"),
    ("amount", {"amount": "12,345"}, "in numbers"),
    ("amount", {"amount": ""}, "If you have none, enter 0"),
    ("source", {"source": "lottery"}, "where this income comes from"),
]


@pytest.mark.parametrize(("field", "change", "message"), INCOME_CASES)
async def test_a_wrong_income_is_refused_beside_the_field(
    client: Client, db: AsyncSession, field: str, change: dict[str, str], message: str
) -> None:
    household = await signed_in_household(client, db)

    response = await post(client, "/tenant/profile/incomes", {**GOOD_INCOME, **change})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    assert await count(db, HouseholdIncome) == 0
    await db.refresh(household)
    assert household.monthly_income_cents == 0


async def test_an_income_of_zero_is_a_declared_income(client: Client, db: AsyncSession) -> None:
    await signed_in_household(client, db)

    response = await post(client, "/tenant/profile/incomes", {"source": "other", "amount": "0"})

    assert response.status_code == 303
    assert await count(db, HouseholdIncome) == 1


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("9999", "We do not know the postcode 9999"),
        ("12345", "four digits"),
        ("", "Please enter a postcode or the name of a town"),
        ("Atlantis", "We do not know a town called Atlantis"),
    ],
)
async def test_an_unknown_place_is_refused_beside_the_field(
    client: Client, db: AsyncSession, place: str, message: str
) -> None:
    await signed_in_household(client, db)

    response = await post(client, "/tenant/profile/areas", {"place": place})

    assert response.status_code == 400
    assert message in error_beside(response.text, "place")
    assert await count(db, PreferredArea) == 0


async def test_the_same_place_twice_is_refused(client: Client, db: AsyncSession) -> None:
    await signed_in_household(client, db)
    assert (await post(client, "/tenant/profile/areas", {"place": "1050"})).status_code == 303

    response = await post(client, "/tenant/profile/areas", {"place": "1050"})

    assert response.status_code == 400
    assert "already in your list" in error_beside(response.text, "place")
    assert await count(db, PreferredArea) == 1


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("max_distance_km", {"max_distance_km": "far"}, "in kilometres"),
        ("max_distance_km", {"max_distance_km": "0"}, "between 1 and 1000"),
        ("max_distance_km", {"max_distance_km": "5000"}, "between 1 and 1000"),
        ("max_rent", {"max_rent": "-700"}, "cannot be below zero"),
        ("max_rent", {"max_rent": "seven hundred"}, "in numbers"),
    ],
)
async def test_wrong_limits_are_refused_beside_the_field(
    client: Client, db: AsyncSession, field: str, change: dict[str, str], message: str
) -> None:
    household = await signed_in_household(client, db)
    good = {"max_distance_km": "10", "max_rent": "700"}

    response = await post(client, "/tenant/profile/areas/limits", {**good, **change})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    await db.refresh(household)
    assert (household.max_distance_km, household.max_rent_cents) == (None, None)


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("ethos_category", {"ethos_category": "14"}, "fits your situation"),
        ("ethos_category", {"ethos_category": "roofless"}, "fits your situation"),
        ("eviction_date", {"eviction_date": "31/03/2026"}, "year-month-day"),
        ("eviction_date", {"eviction_date": "2090-01-01"}, "more than five years"),
        ("current_rent", {"current_rent": "-1"}, "cannot be below zero"),
        ("current_rent", {"current_rent": "abc"}, "in numbers"),
    ],
)
async def test_a_wrong_situation_is_refused_beside_the_field(
    client: Client, db: AsyncSession, field: str, change: dict[str, str], message: str
) -> None:
    household = await signed_in_household(client, db)
    good = {"ethos_category": "8", "displaced": "yes", "current_rent": "650"}

    response = await post(client, "/tenant/profile/situation", {**good, **change})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    await db.refresh(household)
    assert household.ethos_category is None
    assert household.displaced is False
    assert household.current_rent_cents is None


async def test_other_needs_longer_than_the_limit_are_refused(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)

    response = await post(
        client, "/tenant/profile/needs", {"wheelchair": "yes", "other_needs": "x" * 2001}
    )

    assert response.status_code == 400
    assert "at most 2000 characters" in error_beside(response.text, "other_needs")
    await db.refresh(household)
    assert household.wheelchair is False
    assert household.other_needs is None
