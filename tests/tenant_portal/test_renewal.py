"""/tenant/renewal: the household sees its due date and profile, and confirms it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.renewal import add_years
from sra.identity.roles import Role
from sra.register.models import (
    Agency,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    IncomeSource,
    PreferredArea,
)
from tests.sessions import sign_in_as
from tests.sra.identity.flows import Client, post_form
from tests.sra.register.records import add_agency, add_household, add_user

PAGE = "/tenant/renewal"
S = HouseholdStatus


async def signed_in_household(
    client: Client,
    db: AsyncSession,
    *,
    due: date | None,
    status: HouseholdStatus = S.ACTIVE,
    agency: Agency | None = None,
) -> Household:
    agency = agency or await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(
        db, agency, "Nadia Example", (1985, 2015), user=user, status=status
    )
    household.renewal_due_on = due
    household.max_rent_cents = 65000
    db.add(
        HouseholdIncome(household_id=household.id, source=IncomeSource.WORK, amount_cents=150000)
    )
    db.add(PreferredArea(household_id=household.id, name="Schaerbeek", lat=50.867, lon=4.373))
    await sign_in_as(client, db, user)
    return household


async def test_the_page_shows_the_due_date_and_the_profile_summary(
    client: Client, db: AsyncSession
) -> None:
    due = date.today() + timedelta(days=12)
    await signed_in_household(client, db, due=due)

    page = (await client.get(PAGE)).text

    assert f"Please confirm your profile by {due:%B} {due.day}, {due.year}." in page
    for shown in ("Nadia Example", "Nadia0", "Nadia1", "Work: €1,500.00", "€650.00", "Schaerbeek"):
        assert shown in page
    assert "I confirm my profile is up to date" in page


async def test_confirming_moves_an_inactive_household_back_to_active_for_a_year(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(
        client, db, due=date.today() - timedelta(days=70), status=S.INACTIVE
    )
    household.renewal_reminded_at = datetime.now(UTC)
    await db.commit()

    response = await post_form(client, PAGE, {})

    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?done=confirmed"
    await db.refresh(household)
    assert household.status is S.ACTIVE
    assert household.renewal_due_on == add_years(date.today(), 1)
    assert household.renewal_reminded_at is None
    entry = await db.scalar(
        select(AuditEntry).where(AuditEntry.action == "household.renewal_confirmed")
    )
    assert entry is not None
    assert entry.entity_id == str(household.id)
    assert "your profile is confirmed" in (await client.get(response.headers["location"])).text


async def test_before_the_reminder_days_there_is_nothing_to_confirm(
    client: Client, db: AsyncSession
) -> None:
    due = date.today() + timedelta(days=200)
    household = await signed_in_household(client, db, due=due)

    page = (await client.get(PAGE)).text
    response = await post_form(client, PAGE, {})

    assert "I confirm my profile is up to date" not in page
    assert "You can confirm your profile from" in page
    assert response.status_code == 303
    await db.refresh(household)
    assert household.renewal_due_on == due


@pytest.mark.parametrize(
    ("status", "reminded", "linked"),
    [
        (S.ACTIVE, True, True),
        (S.ACTIVE, False, False),
        (S.INACTIVE, False, True),
        (S.SUBMITTED, False, False),
    ],
)
async def test_the_home_page_links_to_the_renewal_when_it_is_due(
    client: Client, db: AsyncSession, status: HouseholdStatus, reminded: bool, linked: bool
) -> None:
    household = await signed_in_household(client, db, due=date.today(), status=status)
    household.renewal_reminded_at = datetime.now(UTC) if reminded else None
    await db.commit()

    page = (await client.get("/tenant")).text

    assert ('href="/tenant/renewal"' in page) is linked


async def test_an_account_without_an_application_has_no_renewal_page(
    client: Client, db: AsyncSession
) -> None:
    await sign_in_as(client, db, await add_user(db, Role.HOUSEHOLD))

    assert (await client.get(PAGE)).status_code == 404


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.ALLOCATION_OFFICER])
async def test_only_households_reach_the_renewal_page(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(PAGE)).status_code == 403
    assert (await post_form(client, PAGE, {}, page="/")).status_code == 403


async def test_the_page_shows_only_the_signed_in_households_profile(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    await add_household(
        db, agency, "Other Person", (1970,), user=await add_user(db, Role.HOUSEHOLD)
    )
    await signed_in_household(client, db, due=date.today(), agency=agency)

    page = (await client.get(PAGE)).text

    assert "Nadia Example" in page
    assert "Other Person" not in page
