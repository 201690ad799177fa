"""Erasure end to end: the household asks, an administrator erases on /staff/erasure-requests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import sra.households.document_store  # noqa: F401  (registers the documents eraser)
from sra import audit
from sra.audit import AuditEntry
from sra.files import FileStore
from sra.households.documents import OWNER_KIND, DocumentKind, HouseholdDocument
from sra.households.personal_data import ERASERS
from sra.households.status import HouseholdStatusChange, move_household
from sra.identity.current import load_current_user
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import (
    Agency,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    IncomeSource,
    PreferredArea,
)
from sra.settings import Settings
from tests.sessions import sign_in_as
from tests.sra.identity.flows import Client, post_form
from tests.sra.register.records import add_agency, add_household, add_user

PAGE = "/staff/erasure-requests"
NAME = "Olena Pryklad"
PHONE = "+32 470 12 34 56"
SECRETS = ("Olena", "Pryklad", PHONE, "quiet flat after the shelling")


async def household_asking_erasure(
    db: AsyncSession, settings: Settings, agency: Agency
) -> tuple[Household, User]:
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    user.display_name = NAME
    household = await add_household(
        db, agency, NAME, (1983, 2014), user=user, status=HouseholdStatus.SUBMITTED
    )
    household.email, household.phone = user.email, PHONE
    household.other_needs = "A quiet flat after the shelling"
    household.eviction_date, household.current_rent_cents = date(2026, 5, 1), 72000
    household.monthly_income_cents, household.wheelchair, household.disability = 98000, True, True
    db.add(HouseholdIncome(household_id=household.id, source=IncomeSource.WORK, amount_cents=98000))
    db.add(PreferredArea(household_id=household.id, name="Ixelles", lat=50.83, lon=4.37))
    await move_household(db, household, HouseholdStatus.RETURNED, actor=None, reason="Olena: ID?")
    stored = await FileStore.from_settings(settings).save(
        db,
        data=b"%PDF-1.4 passport",
        filename="passport.pdf",
        content_type="application/pdf",
        owner_kind=OWNER_KIND,
        owner_id=str(household.id),
        uploaded_by=user.id,
    )
    db.add(
        HouseholdDocument(household_id=household.id, kind=DocumentKind.IDENTITY, file_id=stored.id)
    )
    await _history_naming_the_person(db, household, user)
    household.erasure_requested_at = datetime.now(UTC)
    await db.commit()
    return household, user


async def _history_naming_the_person(db: AsyncSession, household: Household, user: User) -> None:
    """Audit entries as the profile and account pages write them."""
    await db.refresh(household, ["members"])
    personal = {"name": NAME, "email": user.email, "phone": PHONE, "eviction_date": "2026-05-01"}
    await audit.record(
        db,
        actor_id=user.id,
        actor_label=NAME,
        action="household.profile_saved",
        entity="household",
        entity_id=household.id,
        after=personal,
        ip_address="203.0.113.9",
    )
    await audit.record(
        db,
        actor_id=None,
        actor_label="system",
        action="user.created",
        entity="user",
        entity_id=user.id,
        after={"email": user.email, "display_name": NAME},
    )
    for member in household.members:
        await audit.record(
            db,
            actor_id=user.id,
            actor_label=NAME,
            action="household.member_added",
            entity="household_member",
            entity_id=member.id,
            after={"first_name": member.first_name, "birth_year": member.birth_year},
        )


async def rows_of(db: AsyncSession, model: type, household_id: UUID) -> int:
    column = model.household_id  # type: ignore[attr-defined]
    found = await db.scalar(select(func.count()).select_from(model).where(column == household_id))
    return int(found or 0)


async def as_admin(client: Client, db: AsyncSession, agency: Agency) -> User:
    admin = await add_user(db, Role.ADMINISTRATOR, agency.id)
    await sign_in_as(client, db, admin)
    return admin


async def test_erasure_leaves_no_personal_data_and_closes_the_account(
    client: Client, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    erased_by_others: list[UUID] = []

    async def other_context(session: AsyncSession, household: Household) -> None:
        erased_by_others.append(household.id)

    monkeypatch.setitem(ERASERS, "other_context_for_test", other_context)
    agency = await add_agency(db)
    household, user = await household_asking_erasure(db, settings, agency)
    household_token = await sign_in_as(client, db, user)
    await as_admin(client, db, agency)

    listing = (await client.get(PAGE)).text
    response = await post_form(client, f"{PAGE}/{household.id}/erase", {"confirm": "yes"})

    assert NAME in listing
    assert household.reference in listing
    assert response.status_code == 303
    await db.refresh(household)
    assert household.name == f"Erased household {household.reference}"
    assert household.status is HouseholdStatus.WITHDRAWN
    assert household.erased_at is not None
    assert (household.email, household.phone, household.other_needs) == (None, None, None)
    assert (household.eviction_date, household.current_rent_cents) == (None, None)
    assert (household.monthly_income_cents, household.wheelchair, household.disability) == (
        0,
        False,
        False,
    )
    for model in (HouseholdMember, HouseholdIncome, PreferredArea, HouseholdDocument):
        assert await rows_of(db, model, household.id) == 0, model.__name__
    reasons = await db.scalars(
        select(HouseholdStatusChange.reason).where(
            HouseholdStatusChange.household_id == household.id
        )
    )
    assert set(reasons) == {None}
    assert erased_by_others == [household.id]
    await _assert_audit_pseudonymised(db, household, user)
    await _assert_account_closed(db, user, household_token)
    after = (await client.get(f"{PAGE}?done=erased")).text
    assert "The household&#39;s data is erased." in after
    assert NAME not in after


async def _assert_audit_pseudonymised(db: AsyncSession, household: Household, user: User) -> None:
    # In the order they were written (a table has no order of its own: PostgreSQL moves
    # updated rows).
    fresh = (
        select(AuditEntry).order_by(AuditEntry.created_at).execution_options(populate_existing=True)
    )
    entries = (await db.scalars(fresh)).all()
    for entry in entries:
        text = f"{entry.actor_label} {entry.before} {entry.after}"
        for secret in (*SECRETS, str(user.email)):
            assert secret not in text, (entry.action, text)
    mine = [e for e in entries if e.actor_id == user.id]
    assert mine
    assert all(e.ip_address is None for e in mine)
    steps = [
        e.after["step"]
        for e in entries
        if e.action == "household.erasure_step" and e.after is not None
    ]
    assert steps[0] == "application_withdrawn"
    assert set(ERASERS) <= set(steps)
    assert {"profile_rows", "household_audit", "account"} <= set(steps)
    assert any(e.action == "household.erased" for e in entries)


async def _assert_account_closed(db: AsyncSession, user: User, token: str) -> None:
    await db.refresh(user)
    account = user
    assert not account.is_active
    assert (account.email, account.username, account.password_hash) == (None, None, None)
    assert account.display_name.startswith("Erased household ")
    assert await load_current_user(db, token) is None


async def test_erasing_needs_the_confirmation_box_and_changes_nothing_without_it(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    agency = await add_agency(db)
    household, _user = await household_asking_erasure(db, settings, agency)
    await as_admin(client, db, agency)

    response = await post_form(client, f"{PAGE}/{household.id}/erase", {}, page=PAGE)

    assert response.status_code == 400
    assert f'id="f-confirm-{household.id}" aria-invalid="true"' in response.text
    await db.refresh(household)
    assert household.name == NAME
    assert household.erased_at is None
    assert await rows_of(db, HouseholdMember, household.id) == 2


async def test_a_housed_household_is_listed_with_the_records_that_are_kept(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    housed = await add_household(db, agency, "Rita Housed", status=HouseholdStatus.HOUSED)
    housed.erasure_requested_at = datetime.now(UTC)
    await as_admin(client, db, agency)

    listing = (await client.get(PAGE)).text

    assert "Rita Housed" in listing
    assert "its lease and rent account are kept" in listing
    assert '<a href="/admin/households/renewal">Renewal</a>' in listing  # navigation
    assert 'href="/staff/erasure-requests" aria-current="page">Erasure requests</a>' in listing


async def test_only_the_agencys_households_that_asked_can_be_erased(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    agency, other_agency = await add_agency(db), await add_agency(db, "Other agency")
    elsewhere, _user = await household_asking_erasure(db, settings, other_agency)
    did_not_ask = await add_household(db, agency, "Tom Stays")
    await as_admin(client, db, agency)

    listing = (await client.get(PAGE)).text
    for household in (elsewhere, did_not_ask):
        response = await post_form(client, f"{PAGE}/{household.id}/erase", {"confirm": "yes"})
        assert response.status_code == 404

    assert NAME not in listing
    await db.refresh(elsewhere)
    assert elsewhere.erased_at is None
    assert elsewhere.name == NAME


@pytest.mark.parametrize(
    "role", [Role.HOUSEHOLD, Role.LANDLORD, Role.ALLOCATION_OFFICER, Role.CASEWORKER]
)
async def test_only_administrators_reach_the_erasure_requests(
    client: Client, db: AsyncSession, settings: Settings, role: Role
) -> None:
    agency = await add_agency(db)
    household, _user = await household_asking_erasure(db, settings, agency)
    await sign_in_as(client, db, await add_user(db, role, agency.id))

    assert (await client.get(PAGE)).status_code == 403
    response = await post_form(client, f"{PAGE}/{household.id}/erase", {"confirm": "yes"}, page="/")
    assert response.status_code == 403
    await db.refresh(household)
    assert household.erased_at is None
