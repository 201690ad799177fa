"""Who may open a household's document through /files/{id}: the household and the allocation
officers of its agency, each read audited; nobody else, whatever their role."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.documents import HouseholdDocument
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency
from tests.landlord_portal.accounts import Client, csrf, post
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household_account, add_user
from tests.tenant_portal.test_profile_pages import PDF, upload


async def uploaded_document(client: Client, db: AsyncSession) -> tuple[Agency, User, UUID]:
    """An agency and a household of it that uploaded one identity document (its file id)."""
    agency = await add_agency(db)
    user, _household = await add_household_account(db, agency)
    await sign_in_as(client, db, user)
    assert (await upload(client, PDF, "passport.pdf")).status_code == 303
    document = await db.scalar(select(HouseholdDocument))
    assert document is not None
    return agency, user, document.file_id


async def reads_of(db: AsyncSession, file_id: UUID) -> list[tuple[UUID | None, str]]:
    rows = await db.execute(
        select(AuditEntry.actor_id, AuditEntry.action).where(
            AuditEntry.entity == "stored_file", AuditEntry.entity_id == str(file_id)
        )
    )
    return [(actor, action) for actor, action in rows.tuples()]


async def test_the_household_opens_its_own_document_and_the_view_is_audited(
    client: Client, db: AsyncSession
) -> None:
    _agency, user, file_id = await uploaded_document(client, db)

    response = await client.get(f"/files/{file_id}")

    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"].startswith("application/pdf")
    assert await reads_of(db, file_id) == [(user.id, "file.read")]


async def test_an_allocation_officer_of_the_agency_opens_it_and_each_view_is_audited(
    client: Client, db: AsyncSession
) -> None:
    agency, _user, file_id = await uploaded_document(client, db)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    await sign_in_as(client, db, officer)

    first = await client.get(f"/files/{file_id}")
    second = await client.get(f"/files/{file_id}")

    assert (first.status_code, second.status_code) == (200, 200)
    assert await reads_of(db, file_id) == [(officer.id, "file.read")] * 2


NOT_ALLOWED = [
    Role.CASEWORKER,
    Role.INTAKE_OFFICER,
    Role.FINANCE_OFFICER,
    Role.MANAGER,
    Role.ADMINISTRATOR,
    Role.LANDLORD,
]


@pytest.mark.parametrize("role", NOT_ALLOWED, ids=[r.value for r in NOT_ALLOWED])
async def test_other_roles_of_the_same_agency_cannot_open_it(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency, _user, file_id = await uploaded_document(client, db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    response = await client.get(f"/files/{file_id}")

    assert response.status_code == 404
    assert await reads_of(db, file_id) == []


async def test_another_agencys_officer_and_another_household_cannot_open_it(
    client: Client, db: AsyncSession
) -> None:
    _agency, _user, file_id = await uploaded_document(client, db)
    elsewhere = await add_agency(db, "Other agency")
    officer = await add_user(db, Role.ALLOCATION_OFFICER, elsewhere.id)
    neighbour, _household = await add_household_account(db, elsewhere, "Petra Example")

    await sign_in_as(client, db, officer)
    by_officer = await client.get(f"/files/{file_id}")
    await sign_in_as(client, db, neighbour)
    by_household = await client.get(f"/files/{file_id}")

    assert (by_officer.status_code, by_household.status_code) == (404, 404)
    assert await reads_of(db, file_id) == []


async def test_another_household_cannot_remove_it_nor_see_it_listed(
    client: Client, db: AsyncSession
) -> None:
    agency, _user, _file_id = await uploaded_document(client, db)
    document = await db.scalar(select(HouseholdDocument))
    assert document is not None
    neighbour, _household = await add_household_account(db, agency, "Petra Example")
    await sign_in_as(client, db, neighbour)

    listing = (await client.get("/tenant/documents")).text
    removal = await post(client, f"/tenant/documents/{document.id}/delete", {})

    assert "passport.pdf" not in listing
    assert removal.status_code == 404
    assert await db.scalar(select(HouseholdDocument.id)) == document.id


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.CASEWORKER, Role.ALLOCATION_OFFICER])
async def test_the_documents_page_is_for_households_only(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    page = await client.get("/tenant/documents")
    # The token goes in the header: a form the guard refuses is never parsed (nor left open).
    token = await csrf(client)
    upload_attempt = await client.post(
        "/tenant/documents",
        data={"kind": "identity"},
        files={"file": ("x.pdf", PDF, "application/pdf")},
        headers={"x-csrftoken": token},
    )

    assert page.status_code == 403
    assert upload_attempt.status_code == 403
