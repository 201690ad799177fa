"""The needs profile in the JSON API: the same checks as the pages, RFC 9457 problems that name
each wrong field, and nothing stored when one is wrong."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sra.register.models import HouseholdIncome, HouseholdMember, HouseholdStatus, PreferredArea
from tests.landlord_portal.accounts import Client, count, csrf
from tests.tenant_portal.test_profile_pages import PDF, signed_in_household, upload

THIS_YEAR = date.today().year


def body(**changes: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "members": [
            {"first_name": "Olena", "relation": "applicant", "birth_year": 1985},
            {"first_name": "Mia", "relation": "child", "birth_year": 2016},
            {"first_name": "Taras", "relation": "child", "birth_year": 2019},
        ],
        "incomes": [{"source": "benefits", "amount_cents": 125000}],
        "needs": {"wheelchair": True, "other_needs": "Hoist"},
        "situation": {"ethos_category": 3, "displaced": True},
        "areas": ["1030", "Etterbeek"],
        "max_distance_km": 8.0,
        "max_rent_cents": 70000,
        "consent": True,
    }
    return {**profile, **changes}


async def put_profile(client: Client, data: dict[str, Any]) -> Any:
    token = await csrf(client)
    return await client.put("/api/v1/profile", json=data, headers={"x-csrftoken": token})


async def submit(client: Client) -> Any:
    token = await csrf(client)
    return await client.post("/api/v1/profile/submit", headers={"x-csrftoken": token})


async def test_a_household_replaces_its_profile_and_reads_it_back(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)

    response = await put_profile(client, body())
    read = (await client.get("/api/v1/profile")).json()

    assert response.status_code == 200, response.text
    assert read == response.json()
    assert [m["first_name"] for m in read["members"]] == ["Olena", "Mia", "Taras"]
    assert read["monthly_income_cents"] == 125000
    assert read["needs"]["step_free"] is True  # a wheelchair user needs step-free access
    assert [a["name"] for a in read["areas"]] == ["1030 Schaerbeek", "Etterbeek"]
    assert read["situation"]["displaced"] is True
    assert read["consent_given"] is True
    assert "only to check whether you can rent" in read["consent_purpose"]
    assert [m["key"] for m in read["missing"]] == ["documents"]
    assert await count(db, HouseholdMember) == 3  # the factory's member was replaced
    await db.refresh(household)
    assert household.max_rent_cents == 70000


async def test_wrong_fields_are_a_problem_listing_each_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)
    bad = body(
        members=[{"first_name": "Olena", "relation": "applicant", "birth_year": THIS_YEAR + 1}],
        incomes=[{"source": "work", "amount_cents": -100}],
        areas=["9999"],
        max_distance_km=0,
        situation={"ethos_category": 20},
    )

    response = await put_profile(client, bad)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    errors = {e["key"]: e["message"] for e in problem["errors"]}
    assert set(errors) == {
        "members[0].birth_year",
        "incomes[0].amount_cents",
        "areas[0]",
        "max_distance_km",
        "situation.ethos_category",
    }
    assert "future" in errors["members[0].birth_year"]
    assert "below zero" in errors["incomes[0].amount_cents"]
    assert "9999" in errors["areas[0]"]
    assert await count(db, HouseholdMember) == 1
    assert await count(db, HouseholdIncome) == 0
    assert await count(db, PreferredArea) == 0
    await db.refresh(household)
    assert household.consent_given is False


async def test_income_as_text_is_refused_by_the_body_schema(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db)

    response = await put_profile(
        client, body(incomes=[{"source": "work", "amount_cents": "twelve hundred"}])
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await count(db, HouseholdIncome) == 0


async def test_submit_names_what_is_missing_then_sends_when_complete(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)
    children_only = body(
        members=[{"first_name": "Mia", "relation": "child", "birth_year": 2016}], areas=[]
    )
    await put_profile(client, children_only)

    refused = await submit(client)
    await put_profile(client, body())
    await upload(client, PDF, "passport.pdf")
    sent = await submit(client)

    assert refused.status_code == 400
    assert {e["key"] for e in refused.json()["errors"]} == {"members", "areas", "documents"}
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "submitted"
    await db.refresh(household)
    assert household.status is HouseholdStatus.SUBMITTED


async def test_a_locked_profile_answers_409_with_the_reason(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db, HouseholdStatus.SUBMITTED)

    response = await put_profile(client, body())
    again = await submit(client)

    assert response.status_code == 409
    assert "An officer is checking your application" in response.json()["detail"]
    assert again.status_code == 409
    assert await count(db, HouseholdIncome) == 0


async def test_the_profile_api_is_in_the_openapi_document(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()

    assert {"get", "put"} <= set(schema["paths"]["/api/v1/profile"])
    assert "post" in schema["paths"]["/api/v1/profile/submit"]
    assert "ProfileIn" in str(schema["components"]["schemas"])
