"""GET /api/v1/households/{id}: a household reads only its own record; officers their agency's."""

from __future__ import annotations

import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household, add_user


async def test_household_reads_its_own_record_and_not_anothers(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    agency = await add_agency(db)
    mine_user = await add_user(db, Role.HOUSEHOLD, agency.id)
    mine = await add_household(db, agency, "Mira Example", (1985, 2015), user=mine_user)
    other = await add_household(db, agency, "Otto Example", user=await add_user(db, Role.HOUSEHOLD))
    await sign_in_as(client, db, mine_user)

    own = await client.get(f"/api/v1/households/{mine.id}")
    foreign = await client.get(f"/api/v1/households/{other.id}")
    unknown = await client.get(f"/api/v1/households/{uuid.uuid4()}")

    assert own.status_code == 200
    assert own.json()["reference"] == mine.reference
    assert (own.json()["adults"], own.json()["children"]) == (1, 1)
    assert foreign.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert "Otto" not in foreign.text
    assert unknown.status_code == 404


@pytest.mark.parametrize("role", [Role.ALLOCATION_OFFICER, Role.INTAKE_OFFICER, Role.CASEWORKER])
async def test_officers_read_households_of_their_own_agency_only(
    client: AsyncTestClient[Litestar], db: AsyncSession, role: Role
) -> None:
    agency, elsewhere = await add_agency(db), await add_agency(db, "Other agency")
    ours = await add_household(db, agency, "Ada Example")
    theirs = await add_household(db, elsewhere, "Bo Example")
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(f"/api/v1/households/{ours.id}")).status_code == 200
    assert (await client.get(f"/api/v1/households/{theirs.id}")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.LANDLORD, 403),
        (Role.MANAGER, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.FINANCE_OFFICER, 403),
        (None, 401),
    ],
)
async def test_other_roles_cannot_read_household_records(
    client: AsyncTestClient[Litestar], db: AsyncSession, role: Role | None, status: int
) -> None:
    agency = await add_agency(db)
    household = await add_household(db, agency, "Cy Example")
    if role is not None:
        await sign_in_as(client, db, await add_user(db, role, agency.id))

    response = await client.get(f"/api/v1/households/{household.id}")

    assert response.status_code == status
    assert "Cy Example" not in response.text
