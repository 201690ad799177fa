"""Staff give a code from an authenticator app after their password."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import CHANGED, AuditEntry
from sra.identity.models import User, UserSession
from sra.identity.roles import Role
from tests.sra.identity.flows import (
    Client,
    add_user,
    field_error,
    post_form,
    sign_in,
    sign_in_staff,
)

SECRET = pyotp.random_base32()


async def test_staff_without_totp_is_sent_to_set_it_up_and_then_gets_in(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.CASEWORKER, email="cw@example.org")

    response = await sign_in(client, "cw@example.org", next_path="/staff")
    assert response.headers["location"] == "/login/setup-second-factor?next=/staff"
    assert (await client.get("/staff", follow_redirects=False)).headers["location"] == (
        "/login/second-factor"
    )
    assert (
        (await client.get("/login/second-factor", follow_redirects=False))
        .headers["location"]
        .startswith("/login/setup-second-factor")
    )

    setup = await client.get("/login/setup-second-factor?next=/staff")
    assert setup.status_code == 200
    assert "<svg" in setup.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', setup.text)
    assert secret is not None
    secret_value = secret.group(1).replace(" ", "")
    again = await client.get("/login/setup-second-factor")
    assert secret.group(1) in again.text  # reloading shows the same key

    wrong = await post_form(client, "/login/setup-second-factor", {"code": "000000"})
    assert wrong.status_code == 400
    assert field_error(wrong.text)

    response = await post_form(
        client,
        "/login/setup-second-factor",
        {"code": pyotp.TOTP(secret_value).now(), "next": "/staff"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    assert (await client.get("/staff")).status_code == 200
    user = await db.scalar(select(User).where(User.email == "cw@example.org"))
    assert user is not None
    assert user.totp_confirmed_at is not None
    entry = await db.scalar(
        select(AuditEntry).where(AuditEntry.action == "user.second_factor_set_up")
    )
    assert entry is not None
    assert entry.after == {"totp_secret": CHANGED}


async def test_staff_with_totp_must_give_a_valid_code(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.FINANCE_OFFICER, email="fo@example.org", totp_secret=SECRET)

    response = await sign_in(client, "fo@example.org")
    assert response.headers["location"] == "/login/second-factor"
    session_row = await db.scalar(select(UserSession))
    assert session_row is not None
    assert session_row.second_factor_done is False
    assert (await client.get("/api/v1/me")).status_code == 401

    page = await client.get("/login/second-factor")
    assert 'name="code"' in page.text
    wrong = await post_form(client, "/login/second-factor", {"code": "123456"})
    assert wrong.status_code == 400
    assert field_error(wrong.text) == ["This code is not right. Enter the code your app shows now."]
    assert (await client.get("/staff", follow_redirects=False)).status_code in (302, 303, 307)

    right = await post_form(client, "/login/second-factor", {"code": pyotp.TOTP(SECRET).now()})
    assert right.status_code == 303
    assert (await client.get("/staff")).status_code == 200
    assert (await client.get("/api/v1/me")).json()["role"] == "finance_officer"


async def test_the_previous_30_second_code_is_still_accepted(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.MANAGER, email="m@example.org", totp_secret=SECRET)
    await sign_in(client, "m@example.org")
    previous = pyotp.TOTP(SECRET).at(time.time() - 30)

    response = await post_form(client, "/login/second-factor", {"code": previous})

    assert response.status_code == 303


async def test_a_code_from_two_minutes_ago_is_refused(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.MANAGER, email="m@example.org", totp_secret=SECRET)
    await sign_in(client, "m@example.org")
    old = pyotp.TOTP(SECRET).at(time.time() - 120)
    if old == pyotp.TOTP(SECRET).now():  # one chance in a million
        return

    response = await post_form(client, "/login/second-factor", {"code": old})

    assert response.status_code == 400


async def test_guessing_codes_is_rate_limited(client: Client, db: AsyncSession) -> None:
    await add_user(db, Role.MANAGER, email="m@example.org", totp_secret=SECRET)
    await sign_in(client, "m@example.org")
    now = pyotp.TOTP(SECRET).now()
    wrong = "000000" if now != "000000" else "111111"
    for _ in range(5):
        await post_form(client, "/login/second-factor", {"code": wrong})

    response = await post_form(client, "/login/second-factor", {"code": now})

    assert response.status_code == 429


async def test_households_and_landlords_need_no_second_factor(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.LANDLORD)

    response = await sign_in(client, "person@example.org")

    assert response.headers["location"] == "/dashboard"
    assert (await client.get("/login/second-factor", follow_redirects=False)).headers[
        "location"
    ] == "/dashboard"


async def test_signed_in_staff_helper_reaches_the_dashboard(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.ADMINISTRATOR, email="admin@example.org", totp_secret=SECRET)

    await sign_in_staff(client, "admin@example.org", SECRET)

    assert (await client.get("/admin/users")).status_code == 200
