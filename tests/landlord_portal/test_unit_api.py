"""``/api/v1/units``: the same rules as the forms, RFC 9457 errors per field, scoped reads."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from sra.register.models import Unit, UnitStatus
from tests.landlord_portal.listing_steps import (
    Client,
    Owner,
    add_owner,
    csrf,
    listing_counts,
    signed_in_owner,
)
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_user

PROBLEM = "application/problem+json"


def new_unit(owner: Owner, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "building": {
            "street": "Rue Haute 12",
            "postcode": "1000",
            "municipality": "Bruxelles",
            "country": "BE",
            "floors": 3,
            "has_lift": False,
        },
        "label": "Flat 1",
        "unit_type": "apartment",
        "bedrooms": 1,
        "surface_m2": 45,
        "min_occupants": 1,
        "max_occupants": 2,
        "proposed_rent_cents": 65000,
        "package_id": str(owner.package_id),
    }
    body.update(changes)
    return body


async def api_post(client: Client, body: dict[str, Any]) -> Any:
    return await client.post(
        "/api/v1/units", json=body, headers={"x-csrftoken": await csrf(client)}
    )


def keys(problem: dict[str, Any]) -> set[str]:
    return {error["key"] for error in problem.get("errors", [])}


async def test_a_landlord_creates_lists_reads_and_changes_a_draft(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)

    created = await api_post(client, new_unit(owner))
    assert created.status_code == 201, created.text
    unit = created.json()
    assert unit["status"] == "draft"
    assert unit["building"]["lat"] == pytest.approx(50.85, abs=0.05)
    assert unit["proposed_rent_cents"] == 65000

    changed = await client.patch(
        f"/api/v1/units/{unit['id']}",
        json={"proposed_rent_cents": 70000, "furnished": True, "surface_m2": None},
        headers={"x-csrftoken": await csrf(client)},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["proposed_rent_cents"], changed.json()["furnished"]) == (70000, True)
    assert changed.json()["surface_m2"] is None
    listed = await client.get("/api/v1/units")
    assert [u["id"] for u in listed.json()] == [unit["id"]]
    assert (await client.get(f"/api/v1/units/{unit['id']}")).json()["label"] == "Flat 1"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"surface_m2": -40}, "surface_m2"),
        ({"min_occupants": 5, "max_occupants": 3}, "max_occupants"),
        ({"proposed_rent_cents": -1}, "proposed_rent_cents"),
        ({"energy_label": "Z"}, "energy_label"),
        (
            {
                "building": {
                    "street": "Nowhere 1",
                    "postcode": "9999",
                    "municipality": "Nowhere",
                    "country": "BE",
                }
            },
            "building.postcode",
        ),
        ({"building": None}, "building"),
    ],
)
async def test_bad_bodies_answer_problem_details_per_field_and_store_nothing(
    client: Client, db: AsyncSession, changes: dict[str, Any], key: str
) -> None:
    owner = await signed_in_owner(client, db)

    response = await api_post(client, new_unit(owner, **changes))

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert key in keys(response.json())
    assert await listing_counts(db) == (0, 0, 0)


async def test_rent_as_text_is_a_type_error_on_that_field(client: Client, db: AsyncSession) -> None:
    owner = await signed_in_owner(client, db)

    response = await api_post(client, new_unit(owner, proposed_rent_cents="seven hundred"))

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "proposed_rent_cents" in response.text
    assert await listing_counts(db) == (0, 0, 0)


async def test_a_patch_is_checked_against_the_whole_unit(client: Client, db: AsyncSession) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = (await api_post(client, new_unit(owner))).json()["id"]

    response = await client.patch(
        f"/api/v1/units/{unit_id}",
        json={"min_occupants": 4},
        headers={"x-csrftoken": await csrf(client)},
    )

    assert response.status_code == 400
    assert keys(response.json()) == {"max_occupants"}
    db.expire_all()
    assert (await db.get_one(Unit, unit_id)).min_occupants == 1


async def test_a_submitted_unit_can_no_longer_be_patched(client: Client, db: AsyncSession) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = (await api_post(client, new_unit(owner))).json()["id"]
    unit = await db.get_one(Unit, unit_id)
    unit.status = UnitStatus.SUBMITTED
    await db.commit()

    response = await client.patch(
        f"/api/v1/units/{unit_id}", json={"label": "x"}, headers={"x-csrftoken": await csrf(client)}
    )

    assert response.status_code == 409
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_officers_read_their_agencys_units_only_and_cannot_write(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = (await api_post(client, new_unit(owner))).json()["id"]
    elsewhere = await add_owner(db, await add_agency(db, "Other agency"), "Far Owner")
    await sign_in_as(client, db, elsewhere.user)
    far_id = (await api_post(client, new_unit(elsewhere, label="Far flat"))).json()["id"]
    officer = await add_user(db, Role.INTAKE_OFFICER, owner.agency_id)
    await sign_in_as(client, db, officer)

    listed = await client.get("/api/v1/units")
    far = await client.get(f"/api/v1/units/{far_id}")
    created = await api_post(client, new_unit(owner))

    assert [u["id"] for u in listed.json()] == [unit_id]
    assert far.status_code == 404
    assert created.status_code == 403


async def test_other_roles_cannot_list_units(client: Client, db: AsyncSession) -> None:
    owner = await add_owner(db)
    for role in (Role.HOUSEHOLD, Role.FINANCE_OFFICER, Role.CASEWORKER):
        await sign_in_as(client, db, await add_user(db, role, owner.agency_id))
        assert (await client.get("/api/v1/units")).status_code == 403


async def test_the_units_api_is_in_the_openapi_document(client: Client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/units"])
    assert {"get", "patch"} <= set(paths["/api/v1/units/{unit_id}"])
