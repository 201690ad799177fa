"""``sra create-user``: the first administrator from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.passwords import verify_password
from sra.identity.roles import Role
from sra.settings import Settings
from sra_app.users_cli import UserInputError, create_staff_user

PASSWORD = "a long enough password"


async def test_create_user_makes_a_confirmed_staff_account(
    settings: Settings, db: AsyncSession
) -> None:
    await create_staff_user(
        settings, " Admin@Example.org ", "Ada Admin", Role.ADMINISTRATOR, PASSWORD
    )

    user = await db.scalar(select(User))
    assert user is not None
    assert user.email == "admin@example.org"
    assert user.role is Role.ADMINISTRATOR
    assert user.email_confirmed_at is not None
    assert user.totp_secret is None
    assert verify_password(user.password_hash, PASSWORD)


async def test_the_same_email_twice_is_one_line_error(settings: Settings, db: AsyncSession) -> None:
    await create_staff_user(settings, "admin@example.org", "Ada", Role.ADMINISTRATOR, PASSWORD)

    with pytest.raises(UserInputError, match="already has an account") as caught:
        await create_staff_user(settings, "ADMIN@example.org", "Ada", Role.MANAGER, PASSWORD)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("email", "role", "password", "message"),
    [
        ("not-an-address", Role.ADMINISTRATOR, PASSWORD, "not an e-mail address"),
        ("a@example.org", Role.ADMINISTRATOR, "short", "at least 10"),
        ("a@example.org", Role.HOUSEHOLD, PASSWORD, "not a staff role"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_stored(
    settings: Settings, db: AsyncSession, email: str, role: Role, password: str, message: str
) -> None:
    with pytest.raises(UserInputError, match=message):
        await create_staff_user(settings, email, "Ada", role, password)

    assert await db.scalar(select(User)) is None
