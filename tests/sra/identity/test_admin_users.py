"""Administrators create staff accounts, deactivate them, and reset second factors."""

from __future__ import annotations

import json

import pyotp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import CHANGED, AuditEntry
from sra.identity.current import SESSION_COOKIE
from sra.identity.models import User, UserSession
from sra.identity.roles import Role
from tests.sra.identity.flows import (
    PASSWORD,
    Client,
    add_user,
    field_error,
    post_form,
    sign_in,
    sign_in_staff,
)

ADMIN_SECRET = pyotp.random_base32()
STAFF_SECRET = pyotp.random_base32()


async def as_admin(client: Client, db: AsyncSession) -> User:
    admin = await add_user(
        db, Role.ADMINISTRATOR, email="admin@example.org", totp_secret=ADMIN_SECRET
    )
    await sign_in_staff(client, "admin@example.org", ADMIN_SECRET)
    return admin


async def audit_text(db: AsyncSession) -> str:
    entries = (await db.scalars(select(AuditEntry))).all()
    return json.dumps([[e.action, e.before, e.after] for e in entries])


async def test_admin_creates_a_staff_account_who_then_sets_up_totp(
    client: Client, db: AsyncSession
) -> None:
    await as_admin(client, db)
    assert "New staff account" in (await client.get("/admin/users/new")).text

    response = await post_form(
        client,
        "/admin/users/new",
        {
            "email": "Kasia@Example.org",
            "display_name": "Kasia Nowak",
            "role": "allocation_officer",
            "password": PASSWORD,
        },
    )

    assert response.status_code == 303
    user = await db.scalar(select(User).where(User.email == "kasia@example.org"))
    assert user is not None
    assert user.role is Role.ALLOCATION_OFFICER
    assert user.email_confirmed_at is not None
    assert response.headers["location"] == f"/admin/users/{user.id}?done=created"
    listing = await client.get("/admin/users?role=allocation_officer")
    assert "Kasia Nowak" in listing.text
    assert "Kasia Nowak" not in (await client.get("/admin/users?role=manager")).text
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(user.id)))
    assert entry is not None
    assert entry.action == "user.created"
    assert entry.actor_label == "Test administrator"
    assert entry.after is not None
    assert entry.after["password_hash"] == CHANGED
    assert entry.after["role"] == "allocation_officer"

    await post_form(client, "/logout", {})
    client.cookies.delete(SESSION_COOKIE)
    response = await sign_in(client, "kasia@example.org")
    assert response.headers["location"] == "/login/setup-second-factor"


async def test_bad_staff_account_input_stores_nothing(client: Client, db: AsyncSession) -> None:
    await as_admin(client, db)

    response = await post_form(
        client,
        "/admin/users/new",
        {"email": "admin@example.org", "display_name": "", "role": "household", "password": "x"},
    )

    assert response.status_code == 400
    errors = field_error(response.text)
    assert "This e-mail address already has an account." in errors
    assert len(errors) == 4
    assert await db.scalar(select(func.count()).select_from(User)) == 1


async def test_deactivated_staff_is_signed_out_and_cannot_sign_in_until_reactivated(
    client: Client, db: AsyncSession
) -> None:
    staff = await add_user(db, Role.CASEWORKER, email="cw@example.org", totp_secret=STAFF_SECRET)
    await sign_in(client, "cw@example.org")  # a live session that must end
    client.cookies.delete(SESSION_COOKIE)
    await as_admin(client, db)

    response = await post_form(client, f"/admin/users/{staff.id}/deactivate", {})

    assert response.headers["location"] == f"/admin/users/{staff.id}?done=deactivated"
    sessions = await db.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == staff.id)
    )
    assert sessions == 0
    assert "Deactivated" in (await client.get(f"/admin/users/{staff.id}")).text
    await post_form(client, f"/admin/users/{staff.id}/reactivate", {})
    actions = (await db.scalars(select(AuditEntry.action).order_by(AuditEntry.created_at))).all()
    assert actions[-2:] == ["user.deactivated", "user.reactivated"]

    client.cookies.delete(SESSION_COOKIE)
    assert (await sign_in(client, "cw@example.org")).status_code == 303


async def test_deactivated_account_is_refused_at_sign_in(client: Client, db: AsyncSession) -> None:
    staff = await add_user(db, Role.CASEWORKER, email="cw@example.org")
    await as_admin(client, db)
    await post_form(client, f"/admin/users/{staff.id}/deactivate", {})
    client.cookies.delete(SESSION_COOKIE)

    response = await sign_in(client, "cw@example.org")

    assert response.status_code == 400
    assert "This account is closed" in response.text


async def test_admin_cannot_deactivate_their_own_account(client: Client, db: AsyncSession) -> None:
    admin = await as_admin(client, db)

    response = await post_form(client, f"/admin/users/{admin.id}/deactivate", {})

    assert response.status_code == 400
    await db.refresh(admin)
    assert admin.is_active


async def test_admin_resets_the_second_factor_and_the_person_sets_it_up_again(
    client: Client, db: AsyncSession
) -> None:
    staff = await add_user(db, Role.CASEWORKER, email="cw@example.org", totp_secret=STAFF_SECRET)
    await as_admin(client, db)

    response = await post_form(client, f"/admin/users/{staff.id}/reset-second-factor", {})

    assert response.status_code == 303
    await db.refresh(staff)
    assert staff.totp_secret is None
    assert staff.totp_confirmed_at is None
    await post_form(client, "/logout", {})
    client.cookies.delete(SESSION_COOKIE)
    assert (await sign_in(client, "cw@example.org")).headers["location"] == (
        "/login/setup-second-factor"
    )
    text = await audit_text(db)
    assert "user.second_factor_reset" in text
    assert STAFF_SECRET not in text


async def test_unknown_user_id_is_404(client: Client, db: AsyncSession) -> None:
    await as_admin(client, db)

    response = await client.get("/admin/users/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404


async def test_audit_log_never_holds_passwords_hashes_or_totp_secrets(
    client: Client, db: AsyncSession
) -> None:
    admin = await as_admin(client, db)
    await post_form(
        client,
        "/admin/users/new",
        {
            "email": "new@example.org",
            "display_name": "New Person",
            "role": "caseworker",
            "password": PASSWORD,
        },
    )
    await db.refresh(admin)

    text = await audit_text(db)

    assert "user.created" in text
    assert PASSWORD not in text
    assert ADMIN_SECRET not in text
    assert admin.password_hash is not None
    assert admin.password_hash not in text
    assert "$argon2" not in text
    assert '"totp_secret": "changed"' in text
