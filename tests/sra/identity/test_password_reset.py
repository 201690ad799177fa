"""Forgotten passwords: a link by e-mail that works once, for one hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.audit import CHANGED, AuditEntry
from sra.identity.models import UserSession, UserToken
from sra.identity.roles import Role
from sra.settings import Settings
from tests.sra.identity.flows import (
    Client,
    add_user,
    deliver_mail,
    field_error,
    link_path,
    post_form,
    sign_in,
)

NEW_PASSWORD = "a brand new passphrase"


async def ask_for_link(client: Client, engine: AsyncEngine, settings: Settings) -> str:
    response = await post_form(client, "/password/forgot", {"email": "person@example.org"})
    assert response.headers["location"] == "/password/forgot/sent"
    [mail] = await deliver_mail(engine, settings)
    assert mail["Subject"] == "Choose a new password"
    return link_path(mail, "/password/reset/")


async def test_reset_link_sets_a_new_password_once_and_ends_all_sessions(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    await sign_in(client, "person@example.org")
    link = await ask_for_link(client, engine, settings)
    assert 'name="password_confirm"' in (await client.get(link)).text

    response = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )

    assert response.headers["location"] == "/login?done=reset"
    assert await db.scalar(select(func.count()).select_from(UserSession)) == 0
    assert (await sign_in(client, "person@example.org")).status_code == 400
    assert (await sign_in(client, "person@example.org", NEW_PASSWORD)).status_code == 303
    again = await post_form(client, link, {"password": "x" * 12, "password_confirm": "x" * 12})
    assert again.status_code == 400
    assert "does not work any more" in again.text
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_reset"))
    assert entry is not None
    assert entry.after == {"password_hash": CHANGED}


async def test_expired_reset_link_is_refused(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    link = await ask_for_link(client, engine, settings)
    token = await db.scalar(select(UserToken))
    assert token is not None
    assert timedelta(minutes=59) < token.expires_at - datetime.now(UTC) <= timedelta(hours=1)
    await db.execute(update(UserToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await db.commit()

    assert (await client.get(link)).status_code == 400
    response = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert (await sign_in(client, "person@example.org", NEW_PASSWORD)).status_code == 400


async def test_unknown_address_gets_the_same_answer_and_no_mail(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    response = await post_form(client, "/password/forgot", {"email": "nobody@example.org"})

    assert response.status_code == 303
    assert response.headers["location"] == "/password/forgot/sent"
    assert await deliver_mail(engine, settings) == []


async def test_mismatched_new_passwords_are_refused_and_the_link_stays_valid(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    link = await ask_for_link(client, engine, settings)

    response = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": "something else"}
    )

    assert response.status_code == 400
    assert field_error(response.text) == ["The two passwords are not the same."]
    assert (await client.get(link)).status_code == 200


async def test_only_the_newest_reset_link_works(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    first = await ask_for_link(client, engine, settings)
    for path in settings.outbox_dir.glob("*.eml"):
        path.unlink()
    second = await ask_for_link(client, engine, settings)

    assert (await client.get(first)).status_code == 400
    assert (await client.get(second)).status_code == 200
