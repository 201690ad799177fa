"""Who may open what: role guards on the identity pages and the /me API."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.roles import Role
from tests.sra.identity.flows import Client, add_user, sign_in, sign_in_staff

SECRET = pyotp.random_base32()


@pytest.mark.parametrize("path", ["/staff", "/admin/users", "/staff/household-accounts/new"])
async def test_a_household_cannot_open_staff_or_admin_pages(
    client: Client, db: AsyncSession, path: str
) -> None:
    await add_user(db, Role.HOUSEHOLD)
    await sign_in(client, "person@example.org")

    assert (await client.get(path)).status_code == 403


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.FINANCE_OFFICER])
async def test_signed_in_staff_who_are_not_administrators_cannot_open_admin_pages(
    client: Client, db: AsyncSession, role: Role
) -> None:
    await add_user(db, role, email="staff@example.org", totp_secret=SECRET)
    await sign_in_staff(client, "staff@example.org", SECRET)

    assert (await client.get("/staff")).status_code == 200
    assert (await client.get("/admin/users")).status_code == 403
    assert (await client.get("/admin/users/new")).status_code == 403


async def test_finance_officer_cannot_open_household_accounts(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.FINANCE_OFFICER, email="fo@example.org", totp_secret=SECRET)
    await sign_in_staff(client, "fo@example.org", SECRET)

    assert (await client.get("/staff/household-accounts/new")).status_code == 403


async def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = await client.get("/admin/users", follow_redirects=False)

    assert response.headers["location"] == "/login?next=/admin/users"


async def test_me_returns_the_signed_in_user(client: Client, db: AsyncSession) -> None:
    user = await add_user(db, Role.LANDLORD)
    await sign_in(client, "person@example.org")

    response = await client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(user.id),
        "role": "landlord",
        "display_name": "Test landlord",
        "locale": None,
    }


async def test_me_without_a_session_is_a_401_problem(client: Client) -> None:
    response = await client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


async def test_navigation_shows_users_to_administrators_and_account_opening_to_officers(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.ADMINISTRATOR, email="admin@example.org", totp_secret=SECRET)
    await sign_in_staff(client, "admin@example.org", SECRET)
    page = (await client.get("/staff")).text
    assert 'href="/admin/users"' in page
    assert 'href="/staff/household-accounts/new"' not in page


async def test_navigation_offers_account_opening_to_officers(
    client: Client, db: AsyncSession
) -> None:
    await add_user(db, Role.INTAKE_OFFICER, email="intake@example.org", totp_secret=SECRET)
    await sign_in_staff(client, "intake@example.org", SECRET)

    page = (await client.get("/staff")).text

    assert 'href="/staff/household-accounts/new"' in page
    assert 'href="/admin/users"' not in page
