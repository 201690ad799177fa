"""A landlord reaches only their own buildings and units (404 otherwise) and no staff page (403)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from sra.register.models import Unit
from tests.landlord_portal.listing_steps import (
    Client,
    add_owner,
    create_unit,
    csrf,
    listing_counts,
    post_form,
    signed_in_owner,
    unit_form,
)
from tests.sessions import sign_in_as


async def _someone_elses_unit(client: Client, db: AsyncSession) -> tuple[str, str]:
    """A unit and building of one landlord; the client is then signed in as another."""
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    building_id = str((await db.get_one(Unit, unit_id)).building_id)
    intruder = await add_owner(db, owner.agency, "Other Owner")
    await sign_in_as(client, db, intruder.user)
    return unit_id, building_id


async def test_another_landlords_unit_and_building_pages_answer_404(
    client: Client, db: AsyncSession
) -> None:
    unit_id, building_id = await _someone_elses_unit(client, db)

    for path in (
        f"/landlord/units/{unit_id}",
        f"/landlord/units/{unit_id}/edit",
        f"/landlord/buildings/{building_id}",
    ):
        assert (await client.get(path)).status_code == 404, path


async def test_another_landlord_cannot_change_submit_or_build_on_a_unit(
    client: Client, db: AsyncSession
) -> None:
    unit_id, building_id = await _someone_elses_unit(client, db)
    before = await listing_counts(db)
    form = {"street": "Elsewhere 1", "postcode": "1000", "municipality": "Bruxelles"}

    answers = [
        (await post_form(client, f"/landlord/units/{unit_id}/edit", {"label": "Mine"})).status_code,
        (await post_form(client, f"/landlord/units/{unit_id}/submit", {})).status_code,
        (await post_form(client, f"/landlord/buildings/{building_id}", form)).status_code,
    ]
    intruder_form = {"label": "Sneaky", "building_id": building_id}
    added = await post_form(client, "/landlord/units/new", intruder_form)

    assert answers == [404, 404, 404]
    assert added.status_code == 400
    assert "choose one of your buildings" in added.text
    assert await listing_counts(db) == before
    db.expire_all()
    assert (await db.get_one(Unit, unit_id)).label == "2nd floor left"


async def test_another_landlords_unit_answers_404_in_the_api(
    client: Client, db: AsyncSession
) -> None:
    unit_id, _building_id = await _someone_elses_unit(client, db)
    token = await csrf(client)

    read = await client.get(f"/api/v1/units/{unit_id}")
    changed = await client.patch(
        f"/api/v1/units/{unit_id}", json={"label": "Mine"}, headers={"x-csrftoken": token}
    )
    listed = await client.get("/api/v1/units")

    assert (read.status_code, changed.status_code) == (404, 404)
    assert read.headers["content-type"].startswith("application/problem+json")
    assert listed.json() == []


@pytest.mark.parametrize(
    "path",
    ["/staff", "/staff/intake/", "/staff/units/available", "/admin/users", "/admin/rent-caps/"],
)
async def test_landlords_cannot_reach_staff_pages(
    client: Client, db: AsyncSession, path: str
) -> None:
    await signed_in_owner(client, db)

    response = await client.get(path, follow_redirects=False)

    assert response.status_code == 403


async def test_a_household_cannot_open_the_listing_pages(client: Client, db: AsyncSession) -> None:
    from sra.identity.roles import Role
    from tests.sra.register.records import add_user

    owner = await add_owner(db)
    household = await add_user(db, Role.HOUSEHOLD, owner.agency_id)
    await sign_in_as(client, db, household)

    assert (await client.get("/landlord/units/new")).status_code == 403
    token = await csrf(client, "/")
    response = await client.post(
        "/landlord/units/new", data={**unit_form(owner), "_csrf_token": token}
    )
    assert response.status_code == 403
    assert await listing_counts(db) == (0, 0, 0)
