"""Landlord records in the JSON API: the same checks as the page, and the same owners."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from tests.landlord_portal.accounts import (
    GOOD_PROFILE,
    IBAN_KBC_LIKE,
    IBAN_OTHER,
    Client,
    add_agency,
    add_landlord_account,
    add_staff,
    as_user,
    csrf,
)


def body(**changes: Any) -> dict[str, Any]:
    fields = {k: v for k, v in GOOD_PROFILE.items() if k != "consent"}
    return {**fields, "consent": True, **changes}


async def put_me(client: Client, data: dict[str, Any]) -> Any:
    token = await csrf(client)
    return await client.put("/api/v1/landlords/me", json=data, headers={"x-csrftoken": token})


async def test_a_landlord_reads_and_completes_their_own_profile(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    before = (await client.get("/api/v1/landlords/me")).json()
    response = await put_me(client, body())

    assert before["id"] == str(landlord.id)
    assert before["profile_complete"] is False
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["profile_complete"] is True
    assert after["iban"] == "BE71096123456769"
    assert after["bic"] == "GKCCBEBB"
    assert (await client.get("/api/v1/landlords/me")).json()["street"] == "Testlaan 1"


async def test_bad_api_input_is_a_problem_listing_the_fields_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    response = await put_me(client, body(iban="BE71 0961 2345 6760", consent=False, kind="company"))

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {e["key"] for e in problem["errors"]} == {"iban", "consent", "company_number"}
    await db.refresh(landlord)
    assert landlord.iban is None
    assert landlord.street is None


async def test_the_api_cannot_change_an_account_already_in_force(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org", iban=IBAN_KBC_LIKE)
    await as_user(client, db, user)

    changed = await put_me(client, body(iban=IBAN_OTHER))
    unchanged = await put_me(client, body(iban=IBAN_KBC_LIKE))
    left_out = await put_me(client, body(iban="", phone=""))

    assert changed.status_code == 400
    assert "/landlord/profile/bank-account" in changed.json()["detail"]
    assert unchanged.status_code == 200
    assert left_out.status_code == 200
    await db.refresh(landlord)
    assert landlord.iban == "BE71096123456769"


async def test_a_landlord_cannot_read_another_landlords_record(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, mine = await add_landlord_account(db, agency, "ada@example.org")
    _other_user, other = await add_landlord_account(db, agency, "bob@example.org")
    await as_user(client, db, user)

    assert (await client.get(f"/api/v1/landlords/{mine.id}")).status_code == 200
    assert (await client.get(f"/api/v1/landlords/{other.id}")).status_code == 404
    assert (await client.get("/api/v1/landlords")).status_code == 403


async def test_intake_and_finance_officers_read_their_agencys_landlords_only(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    _user, ours = await add_landlord_account(db, agency, "ada@example.org")
    other_agency = await add_agency(db, "Other agency")
    _stranger, theirs = await add_landlord_account(db, other_agency, "bob@example.org")

    for role in (Role.INTAKE_OFFICER, Role.FINANCE_OFFICER):
        await as_user(client, db, await add_staff(db, agency, role, f"{role.value}@example.org"))
        listed = (await client.get("/api/v1/landlords")).json()
        assert [x["id"] for x in listed] == [str(ours.id)]
        assert (await client.get(f"/api/v1/landlords/{ours.id}")).status_code == 200
        assert (await client.get(f"/api/v1/landlords/{theirs.id}")).status_code == 404

    await as_user(
        client, db, await add_staff(db, agency, Role.ALLOCATION_OFFICER, "alloc@example.org")
    )
    assert (await client.get("/api/v1/landlords")).status_code == 403


async def test_the_landlord_api_is_in_the_openapi_document(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)

    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    assert {"/api/v1/landlords/me", "/api/v1/landlords", "/api/v1/packages"} <= set(paths)
    assert "put" in paths["/api/v1/landlords/me"]
