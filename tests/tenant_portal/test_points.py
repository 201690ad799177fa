"""/tenant/points: the household sees its own points, a reason per rule and the history."""

from __future__ import annotations

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.facts import HouseholdFacts, facts_of, facts_to_json
from sra.households.points import IncomeBand
from sra.households.points_store import (
    activate_scheme,
    create_draft_from,
    ensure_default_scheme,
    recompute_household,
    update_draft,
)
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Household
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household, add_user

Client = AsyncTestClient[Litestar]
PAGE = "/tenant/points"


async def household_with_user(
    db: AsyncSession, name: str = "Olena Example"
) -> tuple[Agency, Household, User]:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(db, agency, name, (1985, 2015, 2018), user=user)
    return agency, household, user


async def test_a_verified_household_sees_its_points_with_a_reason_for_each(
    client: Client, db: AsyncSession
) -> None:
    _agency, household, user = await household_with_user(db)
    household.monthly_income_cents = 150000
    household.wheelchair = True
    household.verified_facts = facts_to_json(facts_of(household))
    await recompute_household(db, household, actor=None)
    await sign_in_as(client, db, user)

    page = await client.get(PAGE)

    assert page.status_code == 200
    # 20 (income 72 % of the reference) + 10 (disability) + 6 (two children) = 36 of 167.
    assert "Your priority: 216 of 1000" in page.text
    assert (
        "Income is 72 % of the reference income for your household (band up to 100 %)." in page.text
    )
    assert "A member of your household has a disability or uses a wheelchair." in page.text
    assert "Children in the household: 2 (counted up to 4)." in page.text
    assert '<a href="/points-rules">' in page.text


async def test_a_household_not_yet_verified_is_told_so(client: Client, db: AsyncSession) -> None:
    _agency, _household, user = await household_with_user(db)
    await sign_in_as(client, db, user)

    page = await client.get(PAGE)

    assert page.status_code == 200
    assert "has not been verified yet" in page.text
    assert "Your priority" not in page.text


async def test_the_history_shows_each_recomputation_with_its_scheme_version(
    client: Client, db: AsyncSession
) -> None:
    agency, household, user = await household_with_user(db)
    household.verified_facts = facts_to_json(
        HouseholdFacts(adults=1, children=2, monthly_income_cents=150000)
    )
    first = await ensure_default_scheme(db, agency.id)
    await recompute_household(db, household, actor=None)
    draft = await create_draft_from(db, agency.id, first)
    rules = msgspec.structs.replace(draft.scheme_rules, income_bands=(IncomeBand(100, 40),))
    await update_draft(db, draft, name="2027", rules=rules, actor=None)
    await activate_scheme(db, draft, None)
    await sign_in_as(client, db, user)

    page = (await client.get(PAGE)).text

    assert "<tr><td>" in page
    rows = page.split('id="history-title"')[1]
    assert rows.index("<td>2</td><td>46</td>") < rows.index("<td>1</td><td>26</td>")


async def test_a_change_waiting_for_verification_is_explained(
    client: Client, db: AsyncSession
) -> None:
    _agency, household, user = await household_with_user(db)
    household.verified_facts = facts_to_json(facts_of(household))
    await recompute_household(db, household, actor=None)
    household.monthly_income_cents = 10
    await sign_in_as(client, db, user)

    page = await client.get(PAGE)

    assert "Your points still use the verified information" in page.text


async def test_the_page_shows_only_the_signed_in_households_points(
    client: Client, db: AsyncSession
) -> None:
    agency, _mine, user = await household_with_user(db)
    other = await add_household(
        db, agency, "Otto Example", user=await add_user(db, Role.HOUSEHOLD, agency.id)
    )
    other.verified_facts = facts_to_json(
        HouseholdFacts(adults=1, children=0, monthly_income_cents=0, ethos_category=1)
    )
    await recompute_household(db, other, actor=None)
    await sign_in_as(client, db, user)

    page = await client.get(PAGE)

    assert "roofless" not in page.text
    assert "has not been verified yet" in page.text


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.CASEWORKER, Role.ALLOCATION_OFFICER])
async def test_other_roles_cannot_open_the_household_points_page(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(PAGE)).status_code == 403


async def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = await client.get(PAGE, follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"].startswith("/login")
