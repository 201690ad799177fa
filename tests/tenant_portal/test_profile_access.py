"""The profile pages and API are the household's own: another household's rows answer 404,
every other role 403, and an account without an application 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from sra.register.models import HouseholdIncome, HouseholdMember, PreferredArea
from tests.landlord_portal.accounts import Client, csrf, post
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household_account, add_user

GET_PATHS = [
    "/tenant/profile",
    "/tenant/profile/members",
    "/tenant/profile/incomes",
    "/tenant/profile/needs",
    "/tenant/profile/areas",
    "/tenant/profile/situation",
    "/tenant/profile/consent",
    "/tenant/profile/withdraw",
    "/tenant/profile/areas/suggest?place=10",
    "/tenant/documents",
    "/api/v1/profile",
]
POST_PATHS = [
    "/tenant/profile/members",
    "/tenant/profile/needs",
    "/tenant/profile/areas/limits",
    "/tenant/profile/submit",
    "/tenant/profile/withdraw",
    "/tenant/profile/reopen",
]


async def neighbour_rows(client: Client, db: AsyncSession) -> list[str]:
    """Paths to a first household's member, income and place; then a second household signs in."""
    agency = await add_agency(db)
    first, household = await add_household_account(db, agency, "Lina Example")
    await sign_in_as(client, db, first)
    await post(client, "/tenant/profile/incomes", {"source": "work", "amount": "900"})
    await post(client, "/tenant/profile/areas", {"place": "1000"})
    income = await db.scalar(select(HouseholdIncome.id))
    area = await db.scalar(select(PreferredArea.id))
    second, _other = await add_household_account(db, agency, "Marc Example")
    await sign_in_as(client, db, second)
    return [
        f"/tenant/profile/members/{household.members[0].id}",
        f"/tenant/profile/incomes/{income}",
        f"/tenant/profile/areas/{area}",
    ]


async def test_another_households_rows_answer_404_and_stay_as_they_were(
    client: Client, db: AsyncSession
) -> None:
    member, income, area = await neighbour_rows(client, db)

    responses = [
        await client.get(member),
        await client.get(income),
        await post(client, member, {"first_name": "X", "relation": "other", "birth_year": "1990"}),
        await post(client, income, {"source": "work", "amount": "1"}),
        await post(client, f"{member}/delete", {}),
        await post(client, f"{income}/delete", {}),
        await post(client, f"{area}/delete", {}),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert (await db.scalars(select(HouseholdMember.first_name))).all().count("Lina0") == 1
    assert await db.scalar(select(HouseholdIncome.amount_cents)) == 90000
    assert await db.scalar(select(PreferredArea.name)) == "1000 Bruxelles"


@pytest.mark.parametrize(
    "role", [Role.LANDLORD, Role.CASEWORKER, Role.ALLOCATION_OFFICER, Role.ADMINISTRATOR]
)
async def test_other_roles_get_403_on_every_profile_route(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    got = [(await client.get(path)).status_code for path in GET_PATHS]
    posted = [(await post(client, path, {})).status_code for path in POST_PATHS]
    token = await csrf(client)
    api = [
        (await client.put("/api/v1/profile", json={}, headers={"x-csrftoken": token})).status_code,
        (await client.post("/api/v1/profile/submit", headers={"x-csrftoken": token})).status_code,
    ]

    assert got == [403] * len(GET_PATHS)
    assert posted == [403] * len(POST_PATHS)
    assert api == [403, 403]


async def test_a_household_account_without_an_application_gets_404(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, Role.HOUSEHOLD, agency.id))

    assert (await client.get("/tenant/profile")).status_code == 404
    assert (await client.get("/tenant/documents")).status_code == 404
    assert (await client.get("/api/v1/profile")).status_code == 404


async def test_without_signing_in_the_profile_asks_to_sign_in(client: Client) -> None:
    response = await client.get("/tenant/profile/members", follow_redirects=False)

    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


async def test_the_navigation_leads_a_household_to_its_profile_and_documents(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, _household = await add_household_account(db, agency)
    await sign_in_as(client, db, user)

    page = (await client.get("/tenant")).text

    assert '<a href="/tenant/profile"' in page
    assert '<a href="/tenant/documents"' in page
