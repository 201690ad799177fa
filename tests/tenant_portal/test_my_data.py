"""/tenant/my-data: the household downloads all its own data, and asks for erasure."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.audit import AuditEntry
from sra.files import FileStore
from sra.households.documents import OWNER_KIND, DocumentKind, HouseholdDocument
from sra.households.personal_data import EXPORTERS
from sra.households.status import move_household
from sra.identity.models import User
from sra.identity.roles import Role
from sra.notifications import Notification
from sra.register.models import (
    Agency,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    IncomeSource,
    PreferredArea,
)
from sra.settings import Settings
from tests.sessions import sign_in_as
from tests.sra.identity.flows import Client, body, deliver_mail, post_form
from tests.sra.register.records import add_agency, add_household, add_user

PAGE = "/tenant/my-data"
PDF = b"%PDF-1.4\n% a scanned identity card\n%%EOF\n"


async def household_with_everything(
    db: AsyncSession, settings: Settings, agency: Agency, name: str, document: bytes = PDF
) -> tuple[Household, User]:
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(
        db, agency, name, (1979, 2012), user=user, status=HouseholdStatus.SUBMITTED
    )
    household.email = user.email
    db.add(
        HouseholdIncome(household_id=household.id, source=IncomeSource.PENSION, amount_cents=98000)
    )
    db.add(PreferredArea(household_id=household.id, name="Forest", lat=50.81, lon=4.32))
    await move_household(db, household, HouseholdStatus.ACTIVE, actor=None)
    stored = await FileStore.from_settings(settings).save(
        db,
        data=document,
        filename=f"{name} identity.pdf",
        content_type="application/pdf",
        owner_kind=OWNER_KIND,
        owner_id=str(household.id),
        uploaded_by=user.id,
    )
    db.add(
        HouseholdDocument(household_id=household.id, kind=DocumentKind.IDENTITY, file_id=stored.id)
    )
    await db.commit()
    return household, user


async def download(client: Client) -> zipfile.ZipFile:
    response = await post_form(client, f"{PAGE}/download", {}, page=PAGE)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def data_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(archive.read("data.json"))
    return data


async def test_the_zip_holds_the_record_its_rows_every_section_and_the_documents(
    client: Client, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def points(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
        return [{"rule": "children", "points": 120, "household": household.reference}]

    monkeypatch.setitem(EXPORTERS, "points_for_test", points)
    agency = await add_agency(db)
    household, user = await household_with_everything(db, settings, agency, "Olena Pryklad")
    await sign_in_as(client, db, user)

    archive = await download(client)

    data = data_of(archive)
    assert data["household"]["name"] == "Olena Pryklad"
    assert data["account"]["email"] == user.email
    assert "password_hash" not in data["account"]
    assert data["household"]["reference"] == household.reference
    assert sorted(m["first_name"] for m in data["members"]) == ["Olena0", "Olena1"]
    assert [(i["source"], i["amount_cents"]) for i in data["incomes"]] == [("pension", 98000)]
    assert [a["name"] for a in data["preferred_areas"]] == ["Forest"]
    assert [(c["from_status"], c["to_status"]) for c in data["status_history"]] == [
        ("submitted", "active")
    ]
    assert data["points_for_test"] == [
        {"rule": "children", "points": 120, "household": household.reference}
    ]
    assert set(EXPORTERS) <= set(data)
    [document] = data["document_files"]
    assert document["kind"] == "identity"
    assert archive.read(document["path"]) == PDF
    assert sorted(archive.namelist()) == sorted(["data.json", document["path"]])
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "household.exported"))
    assert entry is not None
    assert (entry.entity_id, entry.actor_id) == (str(household.id), user.id)


async def test_each_household_downloads_only_its_own_data(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    agency = await add_agency(db)
    await household_with_everything(db, settings, agency, "Marc Exemple", b"%PDF-1.4 marc")
    other, other_user = await household_with_everything(
        db, settings, agency, "Lina Voorbeeld", b"%PDF-1.4 lina"
    )
    await sign_in_as(client, db, other_user)

    archive = await download(client)

    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Lina Voorbeeld" in everything
    assert b"Marc" not in everything
    assert b"%PDF-1.4 marc" not in everything
    assert data_of(archive)["household"]["id"] == str(other.id)


async def test_asking_for_erasure_needs_the_confirmation_box(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    household, user = await household_with_everything(db, settings, await add_agency(db), "Sam")
    await sign_in_as(client, db, user)

    refused = await post_form(client, f"{PAGE}/erasure", {}, page=PAGE)
    await db.refresh(household)
    assert refused.status_code == 400
    assert 'id="f-confirm" aria-invalid="true"' in refused.text
    assert "Please tick the box" in refused.text
    assert household.erasure_requested_at is None

    asked = await post_form(client, f"{PAGE}/erasure", {"confirm": "yes"}, page=PAGE)
    await db.refresh(household)
    assert asked.status_code == 303
    assert household.erasure_requested_at is not None
    assert household.status is HouseholdStatus.ACTIVE  # nothing happens until staff erase
    page = (await client.get(asked.headers["location"])).text
    assert "We have your request" in page
    assert "You asked on" in page


async def test_the_agencys_administrators_are_told_of_an_erasure_request(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency, elsewhere = await add_agency(db, "Ours"), await add_agency(db, "Theirs")
    household, user = await household_with_everything(db, settings, agency, "Robin")
    ours = await add_user(db, Role.ADMINISTRATOR, agency.id)
    theirs = await add_user(db, Role.ADMINISTRATOR, elsewhere.id)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    await db.commit()
    await sign_in_as(client, db, user)

    await post_form(client, f"{PAGE}/erasure", {"confirm": "yes"}, page=PAGE)
    await post_form(client, f"{PAGE}/erasure", {"confirm": "yes"}, page=PAGE)  # asked twice

    told = (await db.execute(select(Notification.user_id, Notification.link))).all()
    assert [(row.user_id, row.link) for row in told if row.user_id != user.id] == [
        (ours.id, "/staff/erasure-requests")
    ]
    assert {theirs.id, officer.id}.isdisjoint(row.user_id for row in told)
    mails = await deliver_mail(engine, settings)
    assert [m["To"] for m in mails if household.reference in body(m)] == [ours.email]


async def test_a_household_may_take_its_erasure_request_back_until_it_is_carried_out(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    agency = await add_agency(db)
    household, user = await household_with_everything(db, settings, agency, "Alex")
    other, other_user = await household_with_everything(db, settings, agency, "Noa")
    await sign_in_as(client, db, other_user)
    await post_form(client, f"{PAGE}/erasure", {"confirm": "yes"}, page=PAGE)
    await sign_in_as(client, db, user)
    await post_form(client, f"{PAGE}/erasure", {"confirm": "yes"}, page=PAGE)
    page = (await client.get(PAGE)).text
    assert "Take back my request" in page

    kept = await post_form(client, f"{PAGE}/erasure/cancel", {}, page=PAGE)

    assert kept.status_code == 303
    assert "Your request is taken back" in (await client.get(kept.headers["location"])).text
    await db.refresh(household)
    await db.refresh(other)
    assert household.erasure_requested_at is None
    assert other.erasure_requested_at is not None  # only one's own request
    again = await post_form(client, f"{PAGE}/erasure/cancel", {}, page=PAGE)
    assert again.status_code == 303
    cancelled = select(AuditEntry).where(AuditEntry.action == "household.erasure_cancelled")
    entries = (await db.scalars(cancelled)).all()
    assert [e.entity_id for e in entries] == [str(household.id)]
    admin = await add_user(db, Role.ADMINISTRATOR, agency.id)
    await db.commit()
    await sign_in_as(client, db, admin)
    queue = (await client.get("/staff/erasure-requests")).text
    assert other.reference in queue
    assert household.reference not in queue


async def test_the_page_explains_what_erasure_means(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    _household, user = await household_with_everything(db, settings, await add_agency(db), "Pat")
    await sign_in_as(client, db, user)

    page = (await client.get(PAGE)).text

    assert '<a href="/tenant/my-data" aria-current="page">My data</a>' in page  # navigation
    assert "Download all my data" in page
    assert "Your application is withdrawn" in page
    assert "not deleted but pseudonymised" in page
    assert "your lease and your rent account are kept" not in page  # never housed


async def test_a_housed_household_is_told_its_lease_records_are_kept(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    await add_household(db, agency, "Quinn", user=user, status=HouseholdStatus.HOUSED)
    await sign_in_as(client, db, user)

    page = (await client.get(PAGE)).text

    assert "your lease and your rent account are kept" in page


async def test_an_account_without_an_application_has_nothing_to_download(
    client: Client, db: AsyncSession
) -> None:
    await sign_in_as(client, db, await add_user(db, Role.HOUSEHOLD))

    assert (await client.get(PAGE)).status_code == 404
    assert (await post_form(client, f"{PAGE}/download", {}, page="/")).status_code == 404


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.CASEWORKER, Role.ADMINISTRATOR])
async def test_only_households_reach_their_data_pages(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(PAGE)).status_code == 403
    for action in ("download", "erasure", "erasure/cancel"):
        response = await post_form(client, f"{PAGE}/{action}", {"confirm": "yes"}, page="/")
        assert response.status_code == 403
