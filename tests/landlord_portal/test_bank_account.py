"""Changing the payout account: password again, a security notice, and a finance officer's say."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.payout_accounts import ChangeStatus, PayoutAccountChange, payout_iban
from sra.audit import AuditEntry
from sra.identity.models import User
from sra.identity.roles import Role
from sra.jobs.models import Job
from sra.register.models import Agency, Landlord
from sra.settings import Settings
from tests.landlord_portal.accounts import (
    IBAN_KBC_LIKE,
    IBAN_OTHER,
    Client,
    add_agency,
    add_landlord_account,
    add_staff,
    as_user,
    count,
    error_beside,
    post,
)
from tests.sra.identity.flows import PASSWORD, body, deliver_mail

OLD = "BE71096123456769"
NEW = "BE48001123456727"


async def onboarded_landlord(
    client: Client, db: AsyncSession, email: str = "ada@example.org"
) -> tuple[Agency, User, Landlord]:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, email, iban=IBAN_KBC_LIKE)
    landlord.email = "ada.contact@example.org"
    landlord.bic = "GKCCBEBB"  # as onboarding derives it from the IBAN
    await db.commit()
    await as_user(client, db, user)
    return agency, user, landlord


async def request_new_account(
    client: Client, password: str = PASSWORD, iban: str = IBAN_OTHER
) -> httpx.Response:
    return await post(
        client,
        "/landlord/profile/bank-account",
        {"iban": iban, "bic": "", "password": password},
    )


async def test_a_requested_account_is_not_used_for_payouts_before_approval(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    _agency, _user, landlord = await onboarded_landlord(client, db)

    response = await request_new_account(client)

    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/landlord/profile?done=change_requested"
    change = await db.scalar(select(PayoutAccountChange))
    assert change is not None
    assert (change.iban, change.bic, change.status) == (NEW, "GEBABEBB", ChangeStatus.PENDING)
    assert await payout_iban(db, landlord.id) == OLD
    page = (await client.get("/landlord/profile")).text
    assert "waiting for approval" in page
    assert "ending in 6727" in page


async def test_the_request_sends_a_security_notice_to_the_sign_in_and_contact_addresses(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await onboarded_landlord(client, db)

    await request_new_account(client)
    mails = await deliver_mail(engine, settings)

    assert sorted(str(m["To"]) for m in mails) == ["ada.contact@example.org", "ada@example.org"]
    for mail in mails:
        assert "Security notice" in str(mail["Subject"])
        text = body(mail)
        assert "ending in 6727" in text
        assert NEW not in text  # the whole number never travels by e-mail
        assert "contact the agency at once" in text


async def test_the_wrong_password_changes_nothing_and_sends_nothing(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    _agency, _user, landlord = await onboarded_landlord(client, db)

    response = await request_new_account(client, password="not the password")

    assert response.status_code == 400
    assert "password is not right" in error_beside(response.text, "password")
    assert await count(db, PayoutAccountChange) == 0
    assert await count(db, Job) == 0
    assert await payout_iban(db, landlord.id) == OLD


async def test_a_missing_password_or_a_bad_iban_changes_nothing(
    client: Client, db: AsyncSession
) -> None:
    await onboarded_landlord(client, db)

    no_password = await request_new_account(client, password="")
    bad_iban = await request_new_account(client, iban="BE48 0011 2345 6728")
    same = await request_new_account(client, iban=IBAN_KBC_LIKE)

    assert no_password.status_code == 400
    assert "enter your password" in error_beside(no_password.text, "password")
    assert bad_iban.status_code == 400
    assert "not a valid IBAN" in error_beside(bad_iban.text, "iban")
    assert same.status_code == 400
    assert "already the account" in error_beside(same.text, "iban")
    assert await count(db, PayoutAccountChange) == 0
    assert await count(db, Job) == 0


async def test_password_guessing_on_the_change_page_is_slowed_down(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await onboarded_landlord(client, db)

    for _ in range(settings.login_max_failures):
        assert (await request_new_account(client, password="guess")).status_code == 400
    response = await request_new_account(client)

    assert response.status_code == 429
    assert await count(db, PayoutAccountChange) == 0


async def test_a_finance_officer_approves_and_only_then_payouts_use_the_new_account(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency, _user, landlord = await onboarded_landlord(client, db)
    await request_new_account(client)
    change = await db.scalar(select(PayoutAccountChange))
    assert change is not None
    finance = await add_staff(db, agency, Role.FINANCE_OFFICER, "finance@example.org")
    await as_user(client, db, finance)

    page = (await client.get("/staff/payout-accounts")).text
    assert "BE48 0011 2345 6727" in page
    assert "BE71 0961 2345 6769" in page
    response = await post(client, f"/staff/payout-accounts/{change.id}/approve", {})

    assert response.status_code == 303
    assert await payout_iban(db, landlord.id) == NEW
    await db.refresh(landlord)
    assert landlord.bic == "GEBABEBB"
    await db.refresh(change)
    assert change.status is ChangeStatus.APPROVED
    assert change.decided_by == finance.id
    assert change.decided_at is not None
    actions = set(await db.scalars(select(AuditEntry.action)))
    assert {"payout_account.requested", "payout_account.approved"} <= actions
    assert "landlord.payout_account_changed" in actions
    subjects = [str(m["Subject"]) for m in await deliver_mail(engine, settings)]
    assert "Your new bank account is approved" in subjects
    again = await post(client, f"/staff/payout-accounts/{change.id}/approve", {})
    assert again.status_code == 409


async def test_rejecting_needs_a_reason_and_keeps_the_current_account(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency, _user, landlord = await onboarded_landlord(client, db)
    await request_new_account(client)
    change = await db.scalar(select(PayoutAccountChange))
    assert change is not None
    await as_user(client, db, await add_staff(db, agency, Role.FINANCE_OFFICER, "f@example.org"))

    no_reason = await post(client, f"/staff/payout-accounts/{change.id}/reject", {"reason": ""})
    assert no_reason.status_code == 400
    assert "reason" in error_beside(no_reason.text, f"reason-{change.id}")
    await db.refresh(change)
    assert change.status is ChangeStatus.PENDING

    response = await post(
        client,
        f"/staff/payout-accounts/{change.id}/reject",
        {"reason": "The landlord did not confirm by phone."},
    )

    assert response.status_code == 303
    await db.refresh(change)
    assert change.status is ChangeStatus.REJECTED
    assert change.reason == "The landlord did not confirm by phone."
    assert await payout_iban(db, landlord.id) == OLD
    mails = await deliver_mail(engine, settings)
    rejected = [m for m in mails if "not approved" in str(m["Subject"])]
    assert rejected
    assert "did not confirm by phone" in body(rejected[0])


async def test_a_newer_request_replaces_the_pending_one(client: Client, db: AsyncSession) -> None:
    await onboarded_landlord(client, db)

    await request_new_account(client)
    await request_new_account(client, iban="BE35 3101 2345 6737")

    changes = {c.iban: c.status for c in await db.scalars(select(PayoutAccountChange))}
    assert changes == {NEW: ChangeStatus.REJECTED, "BE35310123456737": ChangeStatus.PENDING}


async def test_finance_officers_see_and_decide_only_their_own_agencys_changes(
    client: Client, db: AsyncSession
) -> None:
    _agency, _user, landlord = await onboarded_landlord(client, db)
    await request_new_account(client)
    change = await db.scalar(select(PayoutAccountChange))
    assert change is not None
    other_agency = await add_agency(db, "Other agency")
    stranger = await add_staff(db, other_agency, Role.FINANCE_OFFICER, "other@example.org")
    await as_user(client, db, stranger)

    assert landlord.name not in (await client.get("/staff/payout-accounts")).text
    response = await post(client, f"/staff/payout-accounts/{change.id}/approve", {})

    assert response.status_code == 404
    assert await payout_iban(db, landlord.id) == OLD


async def test_only_finance_officers_reach_the_bank_account_changes(
    client: Client, db: AsyncSession
) -> None:
    agency, _user, _landlord = await onboarded_landlord(client, db)

    assert (await client.get("/staff/payout-accounts")).status_code == 403  # the landlord
    for role in (Role.INTAKE_OFFICER, Role.ADMINISTRATOR, Role.MANAGER):
        await as_user(client, db, await add_staff(db, agency, role, f"{role.value}@example.org"))
        assert (await client.get("/staff/payout-accounts")).status_code == 403, role
