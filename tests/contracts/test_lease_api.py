"""/api/v1/leases: the landlord's own leases and signature, the agency's for its officers."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import HeadLease, LeaseStatus
from sra.identity.roles import Role
from sra.register.models import Unit, UnitStatus
from tests.contracts.test_leases import approved_unit, fresh, proposed
from tests.sra.register.intake_world import Client, post, signed_in
from tests.sra.register.records import add_user

API = "/api/v1/leases"


async def accept(client: Client, lease: HeadLease, body: dict[str, Any]) -> Any:
    await client.get("/")  # the CSRF cookie
    token = client.cookies.get("sra_csrf") or ""
    return await client.post(f"{API}/{lease.id}/accept", json=body, headers={"x-csrftoken": token})


async def test_a_landlord_reads_and_signs_a_proposal_through_the_api(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, offer.world.landlord_user)

    [listed] = (await client.get(API)).json()
    assert listed["id"] == str(lease.id)
    assert (listed["status"], listed["guaranteed_rent_cents"]) == ("proposed", 65000)
    assert (
        listed["end_date"] == lease.start_date.replace(year=lease.start_date.year + 9).isoformat()
    )
    assert listed["contract_url"] is None

    refused = await accept(client, lease, {"read_and_accept": False})
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["key"] for e in refused.json()["errors"]] == ["read_and_accept"]
    assert (await fresh(db, lease)).status is LeaseStatus.PROPOSED

    signed = await accept(client, lease, {"read_and_accept": True})
    assert signed.status_code == 200
    body = signed.json()
    assert body["status"] == "accepted"
    contract = await client.get(body["contract_url"])
    assert hashlib.sha256(contract.content).hexdigest() == body["contract_sha256"]
    lease = await fresh(db, lease)
    assert lease.accepted_ip is not None
    unit = await db.get(Unit, lease.unit_id, populate_existing=True)
    assert unit is not None
    assert unit.status is UnitStatus.AVAILABLE

    again = await accept(client, lease, {"read_and_accept": True})
    assert again.status_code == 200
    assert again.json()["accepted_at"] == body["accepted_at"]


async def test_a_withdrawn_proposal_cannot_be_signed(client: Client, db: AsyncSession) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await post(client, f"/staff/leases/{lease.id}/withdraw", {})
    await signed_in(client, db, offer.world.landlord_user)

    response = await accept(client, lease, {"read_and_accept": True})

    assert response.status_code == 409
    assert "withdrawn" in response.json()["detail"]
    assert (await fresh(db, lease)).status is LeaseStatus.WITHDRAWN


async def test_a_body_with_unknown_fields_is_refused(client: Client, db: AsyncSession) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, offer.world.landlord_user)

    response = await accept(client, lease, {"read_and_accept": True, "rent": 1})

    assert response.status_code == 400
    assert (await fresh(db, lease)).status is LeaseStatus.PROPOSED


async def test_another_landlord_and_another_agency_get_404(
    client: Client, db: AsyncSession
) -> None:
    mine = await approved_unit(db, "Mine")
    lease = await proposed(client, db, mine)
    theirs = await approved_unit(db, "Theirs")

    for stranger in (theirs.world.landlord_user, theirs.world.officer):
        await signed_in(client, db, stranger)
        assert (await client.get(API)).json() == []
        assert (await client.get(f"{API}/{lease.id}")).status_code == 404
    await signed_in(client, db, theirs.world.landlord_user)
    assert (await accept(client, lease, {"read_and_accept": True})).status_code == 404
    assert (await fresh(db, lease)).status is LeaseStatus.PROPOSED


async def test_officers_read_their_agencys_leases_by_unit_and_status(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    finance = await add_user(db, Role.FINANCE_OFFICER, offer.world.agency.id)
    await db.commit()
    await signed_in(client, db, finance)

    by_unit = (await client.get(API, params={"unit": str(offer.world.unit.id)})).json()
    accepted = (await client.get(API, params={"status": "accepted"})).json()
    one = await client.get(f"{API}/{lease.id}")

    assert [row["id"] for row in by_unit] == [str(lease.id)]
    assert accepted == []
    assert one.json()["status"] == "proposed"
    assert (await client.get(API, params={"status": "signed"})).status_code == 400
    assert (await accept(client, lease, {"read_and_accept": True})).status_code == 403


@pytest.mark.parametrize("role", [Role.HOUSEHOLD, Role.ALLOCATION_OFFICER, Role.CASEWORKER])
async def test_other_roles_cannot_read_leases(client: Client, db: AsyncSession, role: Role) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, await add_user(db, role, offer.world.agency.id))

    assert (await client.get(API)).status_code == 403
    assert (await client.get(f"{API}/{lease.id}")).status_code == 403


async def test_the_leases_api_is_in_the_openapi_document(client: Client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert "get" in paths[API]
    assert "get" in paths[API + "/{lease_id}"]
    assert "post" in paths[API + "/{lease_id}/accept"]
