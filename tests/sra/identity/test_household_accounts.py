"""An officer opens an account for a household without e-mail; the household activates it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pyotp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import SESSION_COOKIE
from sra.identity.models import TokenPurpose, User, UserToken
from sra.identity.roles import Role
from sra.identity.tokens import CODE_ALPHABET
from sra.register.models import Household, HouseholdStatus
from tests.sra.identity.flows import (
    Client,
    add_agency,
    add_user,
    field_error,
    post_form,
    sign_in,
    sign_in_staff,
)

SECRET = pyotp.random_base32()
CHOSEN = "my own password 42"


async def open_account(client: Client, db: AsyncSession, username: str = "olena.k") -> str:
    """As an intake officer; returns the activation code from the printable page."""
    await add_agency(db)
    await add_user(db, Role.INTAKE_OFFICER, email="intake@example.org", totp_secret=SECRET)
    await sign_in_staff(client, "intake@example.org", SECRET)
    response = await post_form(
        client,
        "/staff/household-accounts/new",
        {"display_name": "Olena Kovalenko", "username": username},
    )
    assert response.status_code == 200, response.text
    found = re.search(r'id="activation-code">([A-Z0-9-]+)<', response.text)
    assert found is not None
    await post_form(client, "/logout", {})
    client.cookies.delete(SESSION_COOKIE)
    return found.group(1)


async def activate(client: Client, username: str, code: str) -> httpx.Response:
    return await post_form(
        client,
        "/activate",
        {"username": username, "code": code, "password": CHOSEN, "password_confirm": CHOSEN},
    )


async def test_officer_opens_an_account_and_the_household_activates_it_once(
    client: Client, db: AsyncSession
) -> None:
    code = await open_account(client, db)

    assert len(code.replace("-", "")) >= 8
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    household = await db.scalar(select(Household))
    assert household is not None
    assert household.status is HouseholdStatus.DRAFT
    user = await db.get(User, household.user_id)
    assert user is not None
    assert (user.email, user.password_hash, user.username) == (None, None, "olena.k")
    token = await db.scalar(select(UserToken))
    assert token is not None
    assert token.purpose is TokenPurpose.ACTIVATION
    assert code.replace("-", "") not in token.token_hash
    assert timedelta(days=29) < token.expires_at - datetime.now(UTC) <= timedelta(days=30)
    assert (await sign_in(client, "olena.k", CHOSEN)).status_code == 400

    response = await activate(client, "Olena.K", code.lower().replace("-", " "))

    assert response.headers["location"] == "/login?done=activated"
    assert (await sign_in(client, "olena.k", CHOSEN)).status_code == 303
    assert (await client.get("/api/v1/me")).json()["role"] == "household"
    again = await activate(client, "olena.k", code)
    assert again.status_code == 400
    assert "code has expired or was already used" in again.text


async def test_a_wrong_code_or_another_username_does_not_activate(
    client: Client, db: AsyncSession
) -> None:
    code = await open_account(client, db)
    await add_user(db, Role.HOUSEHOLD, email=None, username="someone.else", password=None)

    assert (await activate(client, "olena.k", "ABCDE-FGHJK")).status_code == 400
    assert (await activate(client, "someone.else", code)).status_code == 400
    assert (await activate(client, "olena.k", code)).status_code == 303


async def test_guessing_activation_codes_is_rate_limited(client: Client, db: AsyncSession) -> None:
    code = await open_account(client, db)
    for _ in range(5):
        await activate(client, "olena.k", "AAAAA-AAAAA")

    assert (await activate(client, "olena.k", code)).status_code == 429


async def test_a_taken_or_malformed_username_is_refused_beside_the_field(
    client: Client, db: AsyncSession
) -> None:
    await open_account(client, db, username="olena.k")
    await sign_in_staff(client, "intake@example.org", SECRET)

    taken = await post_form(
        client, "/staff/household-accounts/new", {"display_name": "X", "username": "OLENA.K"}
    )
    malformed = await post_form(
        client, "/staff/household-accounts/new", {"display_name": "", "username": "a b"}
    )

    assert taken.status_code == 400
    assert field_error(taken.text) == ["This username is taken. Please choose another one."]
    assert malformed.status_code == 400
    assert len(field_error(malformed.text)) == 2
    assert await db.scalar(select(func.count()).select_from(Household)) == 1


async def test_activation_form_needs_every_field(client: Client) -> None:
    response = await post_form(client, "/activate", {}, page="/activate")

    assert response.status_code == 400
    assert len(field_error(response.text)) == 3
