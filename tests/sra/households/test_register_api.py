"""``GET /api/v1/register/households``: the page's filters as JSON, within the caller's agency."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from tests.sra.households.register_world import make_register
from tests.sra.register.intake_world import Client, signed_in
from tests.sra.register.records import add_user

API = "/api/v1/register/households"
PROBLEM = "application/problem+json"


def references(body: dict[str, Any]) -> list[str]:
    return [item["reference"] for item in body["items"]]


async def test_api_lists_the_agencys_households_in_register_order(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.officer)

    response = await client.get(API)

    assert response.status_code == 200
    body = response.json()
    refs = [world.bram.reference, world.anna.reference, world.cleo.reference]
    assert references(body) == refs
    assert (body["total"], body["page"], body["per_page"]) == (3, 1, 50)
    anna = body["items"][1]
    assert anna["size"] == 3
    assert anna["children"] == 2
    assert anna["wheelchair"] is True
    assert anna["preferred_areas"][0]["name"] == "Ixelles"
    assert "other_needs" not in anna
    assert "email" not in anna
    assert "monthly_income_cents" not in anna


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "active", "step_free": "true"}, ["bram", "anna"]),
        ({"size_min": "3", "urgency_max": "300"}, ["cleo"]),
        ({"area": "1050", "radius_km": "3"}, ["anna"]),
        ({"area": "namur"}, ["cleo"]),
        ({"per_page": "1", "page": "2"}, ["anna"]),
    ],
)
async def test_api_filters_like_the_page(
    client: Client, db: AsyncSession, query: dict[str, str], expected: list[str]
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.caseworker)

    response = await client.get(API, params=query)

    assert response.status_code == 200
    by_name = {"anna": world.anna, "bram": world.bram, "cleo": world.cleo}
    assert references(response.json()) == [by_name[n].reference for n in expected]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"size_min": "two"}, "size_min"),
        ({"urgency_min": "-1"}, "urgency_min"),
        ({"radius_km": "0"}, "radius_km"),
        ({"status": "sleeping"}, "status"),
        ({"urgency_min": "600", "urgency_max": "100"}, "urgency_max"),
        ({"radius_km": "5"}, "area"),
        ({"area": "Atlantis", "radius_km": "5"}, "area"),
    ],
)
async def test_bad_filters_answer_problem_details_naming_the_parameter(
    client: Client, db: AsyncSession, query: dict[str, str], key: str
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.officer)

    response = await client.get(API, params=query)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == 400
    assert key in {error["key"] for error in problem["errors"]}


async def test_other_roles_are_refused_and_the_api_is_documented(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    for role in (Role.HOUSEHOLD, Role.LANDLORD, Role.FINANCE_OFFICER):
        await signed_in(client, db, await add_user(db, role, world.agency.id))
        response = await client.get(API)
        assert response.status_code == 403, role
        assert response.headers["content-type"].startswith(PROBLEM)

    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"status", "area", "radius_km"}
