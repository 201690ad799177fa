"""Signing in and out: sessions, cookies, CSRF, refusals and the rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import SESSION_COOKIE
from sra.identity.models import LoginAttempt, User, UserSession
from sra.identity.roles import Role
from sra.settings import Settings
from sra_app.app import create_app
from tests.sra.identity.flows import (
    PASSWORD,
    Client,
    add_user,
    field_error,
    post_form,
    sign_in,
)


async def session_count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(UserSession)) or 0


async def test_sign_in_with_email_then_sign_out_ends_the_session(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.HOUSEHOLD, email="amira@example.org")

    response = await sign_in(client, "Amira@Example.org")

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert (await client.get("/api/v1/me")).json()["display_name"] == "Test household"
    assert await session_count(db) == 1

    response = await post_form(client, "/logout", {})
    assert response.status_code == 303
    assert await session_count(db) == 0
    client.cookies.delete(SESSION_COOKIE)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_sign_in_with_username_for_a_household_without_email(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.HOUSEHOLD, email=None, username="olena.k")

    response = await sign_in(client, "olena.k")

    assert response.status_code == 303
    assert (await client.get("/api/v1/me")).json()["role"] == "household"


async def test_wrong_password_is_refused_beside_the_field(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.LANDLORD)

    response = await sign_in(client, "person@example.org", "not the password")

    assert response.status_code == 400
    assert field_error(response.text) == ["The e-mail address, username or password is not right."]
    assert 'aria-invalid="true"' in response.text
    assert 'value="person@example.org"' in response.text
    assert SESSION_COOKIE not in response.cookies
    assert await session_count(db) == 0


async def test_unknown_account_gets_the_same_answer_as_a_wrong_password(
    client: Client, db: AsyncSession
) -> None:
    response = await sign_in(client, "nobody@example.org")

    assert response.status_code == 400
    assert field_error(response.text) == ["The e-mail address, username or password is not right."]


async def test_empty_fields_are_named_beside_each_field(client: Client) -> None:
    response = await post_form(client, "/login", {"email": "", "password": ""}, page="/login")

    assert response.status_code == 400
    assert len(field_error(response.text)) == 2


async def test_session_cookie_is_httponly_samesite_lax_and_expires_with_the_session(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)

    response = await sign_in(client, "person@example.org")

    header = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "samesite", "max-age", "path"} <= flags
    assert "samesite=lax" in header.lower()
    assert f"max-age={settings.session_hours * 3600}" in header.lower()
    assert "secure" not in flags
    token = response.cookies[SESSION_COOKIE]
    stored = await db.scalar(select(UserSession.token_hash))
    assert stored is not None
    assert token not in stored


async def test_session_cookie_is_secure_when_the_settings_say_so(
    settings: Settings, db: AsyncSession
) -> None:
    await add_user(db, Role.LANDLORD)
    app = create_app(msgspec.structs.replace(settings, secure_cookies=True))
    try:
        async with AsyncTestClient(app, base_url="https://testserver.local") as client:
            response = await sign_in(client, "person@example.org")
            header = next(
                h
                for h in response.headers.get_list("set-cookie")
                if h.startswith(SESSION_COOKIE + "=")
            )
            assert "secure" in {p.strip().lower() for p in header.split(";")}
    finally:
        await app.state.session_maker.kw["bind"].dispose()


async def test_each_sign_in_starts_a_new_session_and_drops_the_old_one(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.LANDLORD)
    first = (await sign_in(client, "person@example.org")).cookies[SESSION_COOKIE]

    second = (await sign_in(client, "person@example.org")).cookies[SESSION_COOKIE]

    assert first != second
    assert await session_count(db) == 1


async def test_post_without_csrf_token_is_refused(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.LANDLORD)
    await client.get("/login")

    response = await client.post(
        "/login", data={"email": "person@example.org", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert await session_count(db) == 0


async def test_unconfirmed_email_cannot_sign_in(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.HOUSEHOLD, email_confirmed=False)

    response = await sign_in(client, "person@example.org")

    assert response.status_code == 400
    assert "Please confirm your e-mail address first" in response.text
    assert await session_count(db) == 0


async def test_deactivated_account_cannot_sign_in(client: Client, db: AsyncSession) -> None:
    user = await add_user(db, Role.LANDLORD)
    await db.execute(update(User).where(User.id == user.id).values(is_active=False))
    await db.commit()

    response = await sign_in(client, "person@example.org")

    assert response.status_code == 400
    assert "This account is closed" in response.text


async def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.LANDLORD)
    response = await client.get("/landlord", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/landlord"
    assert 'name="next" value="/landlord"' in (await client.get("/login?next=/landlord")).text

    assert (await sign_in(client, "person@example.org", next_path="/landlord")).headers[
        "location"
    ] == "/landlord"
    evil = await sign_in(client, "person@example.org", next_path="//evil.example/x")
    assert evil.headers["location"] == "/dashboard"


async def test_too_many_failures_give_429_and_then_even_the_right_password_is_not_checked(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    for _ in range(settings.login_max_failures):
        assert (await sign_in(client, "person@example.org", "wrong password")).status_code == 400

    response = await sign_in(client, "person@example.org")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert await session_count(db) == 0
    failures = await db.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.succeeded.is_(False))
    )
    assert failures == settings.login_max_failures


async def test_failures_from_one_address_block_guessing_across_accounts(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    for n in range(settings.login_max_failures):
        await sign_in(client, f"someone{n}@example.org", "wrong password")

    assert (await sign_in(client, "person@example.org")).status_code == 429


async def test_failures_older_than_the_window_no_longer_count(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await add_user(db, Role.LANDLORD)
    for _ in range(settings.login_max_failures):
        await sign_in(client, "person@example.org", "wrong password")
    long_ago = datetime.now(UTC) - timedelta(minutes=settings.login_window_minutes + 1)
    await db.execute(update(LoginAttempt).values(created_at=long_ago))
    await db.commit()

    assert (await sign_in(client, "person@example.org")).status_code == 303


async def test_expired_session_counts_as_signed_out(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.LANDLORD)
    await sign_in(client, "person@example.org")
    await db.execute(update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(1)))
    await db.commit()

    response = await client.get("/landlord", follow_redirects=False)

    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/login")
