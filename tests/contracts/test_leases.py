"""Head lease or mandate: proposed by intake, accepted by the landlord, contract kept as is."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import HeadLease, LeaseStatus, month_before
from contracts.packages import GuaranteePackage, PackageKind
from sra.files import StoredFile
from sra.identity.roles import Role
from sra.register.models import UnitStatus
from tests.sra.register.intake_world import (
    Client,
    World,
    error_beside,
    make_world,
    post,
    signed_in,
)
from tests.sra.register.records import add_user

S = UnitStatus


@dataclass
class Offer:
    world: World
    package: GuaranteePackage


async def approved_unit(db: AsyncSession, name: str = "Agency") -> Offer:
    world = await make_world(db, S.APPROVED, name=name)
    world.unit.guaranteed_rent_cents, world.unit.tenant_rent_cents = 65000, 52000
    package = GuaranteePackage(
        agency_id=world.agency.id,
        name="Head lease 9 years",
        kind=PackageKind.HEAD_LEASE,
        duration_years=9,
    )
    db.add(package)
    await db.commit()
    return Offer(world, package)


def terms(offer: Offer, **changes: str) -> dict[str, str]:
    return {
        "unit": str(offer.world.unit.id),
        "package": str(offer.package.id),
        "guaranteed_rent": "650",
        "start_date": (date.today() + timedelta(days=10)).isoformat(),
        "duration_years": "",
        "index_base_month": "",
        **changes,
    }


async def proposed(client: Client, db: AsyncSession, offer: Offer) -> HeadLease:
    await signed_in(client, db, offer.world.officer)
    response = await post(client, "/staff/leases/new", terms(offer))
    assert response.status_code == 303, response.text
    lease = await db.scalar(select(HeadLease).where(HeadLease.unit_id == offer.world.unit.id))
    assert lease is not None
    return lease


async def fresh(db: AsyncSession, lease: HeadLease) -> HeadLease:
    await db.refresh(lease)
    return lease


async def test_proposal_with_bad_terms_shows_errors_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    await signed_in(client, db, offer.world.officer)
    form = await client.get("/staff/leases/new", params={"unit": str(offer.world.unit.id)})
    assert form.status_code == 200
    assert 'value="650"' in form.text  # the rent agreed at approval

    response = await post(
        client,
        "/staff/leases/new",
        terms(offer, package="", guaranteed_rent="a lot", duration_years="0", start_date="soon"),
    )

    assert response.status_code == 400
    assert error_beside(response.text, "package")
    assert "in figures" in error_beside(response.text, "guaranteed_rent")
    assert "from 1 to 99" in error_beside(response.text, "duration_years")
    assert "year-month-day" in error_beside(response.text, "start_date")
    assert await db.scalar(select(func.count()).select_from(HeadLease)) == 0


async def test_acceptance_records_time_and_address_and_only_then_opens_the_unit(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    assert (lease.status, lease.duration_years, lease.kind) == (
        LeaseStatus.PROPOSED,
        9,
        PackageKind.HEAD_LEASE,
    )
    await db.refresh(offer.world.unit)
    assert offer.world.unit.status is S.APPROVED
    assert str(offer.world.unit.id) not in (await client.get("/staff/units/available")).text

    await signed_in(client, db, offer.world.landlord_user)
    page = await client.get(f"/landlord/leases/{lease.id}")
    assert page.status_code == 200
    assert "I have read and accept these terms." in page.text
    assert "guaranteed rent every month" in page.text  # the package in plain words

    unticked = await post(client, f"/landlord/leases/{lease.id}/accept", {})
    assert unticked.status_code == 400
    assert "tick the box" in error_beside(unticked.text, "read_and_accept")
    assert (await fresh(db, lease)).status is LeaseStatus.PROPOSED

    accepted = await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    assert accepted.status_code == 303

    lease = await fresh(db, lease)
    assert lease.status is LeaseStatus.ACCEPTED
    assert lease.accepted_at is not None
    assert lease.accepted_ip == "testclient"
    assert lease.accepted_by == offer.world.landlord_user.id
    assert lease.index_base_month == month_before(lease.accepted_at.date())
    assert lease.locale == "en"
    assert lease.pdf_sha256 is not None
    await db.refresh(offer.world.unit)
    assert offer.world.unit.status is S.AVAILABLE
    await signed_in(client, db, offer.world.officer)
    assert str(offer.world.unit.id) in (await client.get("/staff/units/available")).text


async def test_contract_pdf_downloads_unchanged_and_matches_its_recorded_hash(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, offer.world.landlord_user)
    await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    lease = await fresh(db, lease)

    first = await client.get(f"/landlord/leases/{lease.id}/contract.pdf")
    second = await client.get(f"/landlord/leases/{lease.id}/contract.pdf")

    assert first.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == lease.pdf_sha256
    finance = await add_user(db, Role.FINANCE_OFFICER, offer.world.agency.id)
    for staff in (offer.world.officer, finance):
        await signed_in(client, db, staff)
        staff_copy = await client.get(f"/staff/leases/{lease.id}/contract.pdf")
        assert staff_copy.content == first.content
        assert (await client.get(f"/files/{lease.pdf_file_id}")).content == first.content


async def test_accepting_twice_changes_nothing(client: Client, db: AsyncSession) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, offer.world.landlord_user)
    await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    lease = await fresh(db, lease)
    before = (lease.accepted_at, lease.accepted_ip, lease.pdf_file_id, lease.pdf_sha256)

    again = await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})

    assert again.status_code == 303
    lease = await fresh(db, lease)
    assert (lease.accepted_at, lease.accepted_ip, lease.pdf_file_id, lease.pdf_sha256) == before
    files = select(func.count()).select_from(StoredFile).where(StoredFile.owner_id == str(lease.id))
    assert await db.scalar(files) == 1


async def test_a_second_proposal_waits_until_the_first_is_withdrawn(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    response = await post(client, "/staff/leases/new", terms(offer, guaranteed_rent="700"))
    assert response.status_code == 400
    assert await db.scalar(select(func.count()).select_from(HeadLease)) == 1

    await post(client, f"/staff/leases/{lease.id}/withdraw", {})
    assert (await fresh(db, lease)).status is LeaseStatus.WITHDRAWN
    assert (await post(client, "/staff/leases/new", terms(offer))).status_code == 303
    await signed_in(client, db, offer.world.landlord_user)
    withdrawn = await post(
        client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"}
    )
    assert withdrawn.status_code == 303
    assert (await fresh(db, lease)).status is LeaseStatus.WITHDRAWN


async def test_another_landlords_lease_and_contract_answer_404(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    await signed_in(client, db, offer.world.landlord_user)
    await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    lease = await fresh(db, lease)
    other = await approved_unit(db, name="Other agency")
    await signed_in(client, db, other.world.landlord_user)

    for path in (f"/landlord/leases/{lease.id}", f"/landlord/leases/{lease.id}/contract.pdf"):
        assert (await client.get(path)).status_code == 404
    assert (await client.get(f"/files/{lease.pdf_file_id}")).status_code == 404
    response = await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    assert response.status_code == 404
    assert str(lease.id) not in (await client.get("/landlord/leases")).text

    await signed_in(client, db, other.world.officer)
    assert (await client.get(f"/staff/leases/{lease.id}")).status_code == 404
    assert (await client.get(f"/staff/leases/{lease.id}/contract.pdf")).status_code == 404


async def test_landlords_and_allocation_officers_cannot_reach_staff_lease_pages(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    allocation = await add_user(db, Role.ALLOCATION_OFFICER, offer.world.agency.id)
    for user in (offer.world.landlord_user, allocation):
        await signed_in(client, db, user)
        for path in ("/staff/leases", f"/staff/leases/{lease.id}", "/staff/leases/new"):
            assert (await client.get(path)).status_code == 403


async def test_contract_is_written_in_the_landlords_language(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    offer.world.landlord.locale = "uk"
    await db.commit()
    lease = await proposed(client, db, offer)
    await signed_in(
        client,
        db,
        offer.world.landlord_user,
    )
    await post(client, f"/landlord/leases/{lease.id}/accept", {"read_and_accept": "yes"})
    assert (await fresh(db, lease)).locale == "uk"


async def test_landlord_and_staff_lists_show_the_lease_with_its_status(
    client: Client, db: AsyncSession
) -> None:
    offer = await approved_unit(db)
    lease = await proposed(client, db, offer)
    staff_list = await client.get("/staff/leases")
    assert f"/staff/leases/{lease.id}" in staff_list.text
    detail = await client.get(f"/staff/leases/{lease.id}")
    assert "Withdraw the proposal" in detail.text

    await signed_in(client, db, offer.world.landlord_user)
    mine = await client.get("/landlord/leases")
    assert f"/landlord/leases/{lease.id}" in mine.text
    assert "Waiting for your answer" in mine.text
