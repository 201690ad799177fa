"""GET /api/v1/households/{id}/points and /api/v1/points-scheme: who reads what, and that no
route lets anyone set points."""

from __future__ import annotations

import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.facts import HouseholdFacts, facts_to_json
from sra.households.points_store import ensure_default_scheme, recompute_household
from sra.identity.roles import Role
from sra.register.models import Agency, Household
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household, add_user

Client = AsyncTestClient[Litestar]
FACTS = HouseholdFacts(adults=1, children=2, monthly_income_cents=150000, ethos_category=3)


async def scored(db: AsyncSession, agency: Agency, name: str, **kwargs: object) -> Household:
    household = await add_household(db, agency, name, **kwargs)  # type: ignore[arg-type]
    household.verified_facts = facts_to_json(FACTS)
    await recompute_household(db, household, actor=None)
    await db.commit()
    return household


async def test_a_household_reads_its_points_with_a_reason_per_rule(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await scored(db, agency, "Mia Example", user=user)
    await sign_in_as(client, db, user)

    response = await client.get(f"/api/v1/households/{household.id}/points")

    assert response.status_code == 200
    body = response.json()
    assert (body["verified"], body["raw_total"], body["max_total"]) == (True, 61, 167)
    assert body["urgency"] == 365
    assert body["scheme_version"] == 1
    assert body["lines"] == [
        {
            "rule": "income_band",
            "points": 20,
            "reason": "Income is 72 % of the reference income for your household"
            " (band up to 100 %).",
        },
        {
            "rule": "ethos_houseless",
            "points": 35,
            "reason": "You have no home of your own and stay in a shelter or temporary"
            " accommodation (ETHOS: houseless).",
        },
        {
            "rule": "children",
            "points": 6,
            "reason": "Children in the household: 2 (counted up to 4).",
        },
    ]
    assert [entry["raw_total"] for entry in body["history"]] == [61]


async def test_an_unverified_household_has_no_points_yet(client: Client, db: AsyncSession) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(db, agency, "Nea Example", user=user)
    await sign_in_as(client, db, user)

    body = (await client.get(f"/api/v1/households/{household.id}/points")).json()

    assert (body["verified"], body["urgency"], body["lines"], body["history"]) == (
        False,
        0,
        [],
        [],
    )


async def test_another_households_points_are_not_found(client: Client, db: AsyncSession) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    await add_household(db, agency, "Own Example", user=user)
    other = await scored(db, agency, "Otto Example", user=await add_user(db, Role.HOUSEHOLD))
    await sign_in_as(client, db, user)

    foreign = await client.get(f"/api/v1/households/{other.id}/points")
    unknown = await client.get(f"/api/v1/households/{uuid.uuid4()}/points")

    assert foreign.status_code == unknown.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert "houseless" not in foreign.text


@pytest.mark.parametrize("role", [Role.ALLOCATION_OFFICER, Role.CASEWORKER])
async def test_officers_read_the_points_of_their_own_agency_only(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency, elsewhere = await add_agency(db), await add_agency(db, "Other agency")
    ours = await scored(db, agency, "Ada Example")
    theirs = await scored(db, elsewhere, "Bo Example")
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(f"/api/v1/households/{ours.id}/points")).status_code == 200
    assert (await client.get(f"/api/v1/households/{theirs.id}/points")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.LANDLORD, 403),
        (Role.MANAGER, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.INTAKE_OFFICER, 403),
        (None, 401),
    ],
)
async def test_other_roles_cannot_read_a_households_points(
    client: Client, db: AsyncSession, role: Role | None, status: int
) -> None:
    agency = await add_agency(db)
    household = await scored(db, agency, "Cy Example")
    if role is not None:
        await sign_in_as(client, db, await add_user(db, role, agency.id))

    response = await client.get(f"/api/v1/households/{household.id}/points")

    assert response.status_code == status
    assert "houseless" not in response.text


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ALLOCATION_OFFICER, Role.HOUSEHOLD])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_no_one_can_set_points_through_the_api(
    client: Client, db: AsyncSession, role: Role, method: str
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, role, agency.id)
    household = await scored(
        db, agency, "Dee Example", user=user if role is Role.HOUSEHOLD else None
    )
    household_id, before = household.id, household.urgency
    await sign_in_as(client, db, user)

    for path in (f"/api/v1/households/{household_id}/points", f"/api/v1/households/{household_id}"):
        response = await client.request(method, path, json={"urgency": 1000, "raw_total": 167})
        assert response.status_code in (403, 405), (path, response.status_code)
    db.expire_all()
    assert await db.scalar(select(Household.urgency).where(Household.id == household_id)) == before


def test_no_route_writes_points_except_the_administrators_scheme_pages(app: Litestar) -> None:
    writers = [
        (route.path, method)
        for route in app.routes
        for method in getattr(route, "methods", ())
        if method not in {"GET", "HEAD", "OPTIONS"}
        and ("points" in route.path or "urgency" in route.path)
    ]

    assert writers
    assert all(path.startswith("/admin/points-scheme/") for path, _method in writers), writers


async def test_the_active_scheme_is_public_in_the_api(client: Client, db: AsyncSession) -> None:
    agency = await add_agency(db)
    await ensure_default_scheme(db, agency.id)
    await db.commit()

    response = await client.get("/api/v1/points-scheme")

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["max_total"]) == (1, 167)
    assert body["rules"]["reference_income_cents"] == 130000
    assert body["rules"]["income_bands"][0] == {"up_to_percent": 100, "points": 20}


async def test_no_published_scheme_is_not_found(client: Client, db: AsyncSession) -> None:
    await add_agency(db)
    await db.commit()

    assert (await client.get("/api/v1/points-scheme")).status_code == 404
