"""Signed-in test users without going through the sign-in pages (owned by identity's tests)."""

from __future__ import annotations

import secrets

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from tests.sessions import sign_in_as


async def make_user(db: AsyncSession, role: Role, name: str | None = None) -> User:
    user = User(
        email=f"{secrets.token_hex(4)}@example.org",
        display_name=name or f"Test {role.value}",
        role=role,
        is_active=True,
    )
    db.add(user)
    await db.flush()
    return user


async def sign_in(
    client: AsyncTestClient[Litestar], db: AsyncSession, role: Role, name: str | None = None
) -> User:
    """A user of ``role`` with a live session (second factor given); ``client`` sends its cookie."""
    user = await make_user(db, role, name)
    await sign_in_as(client, db, user, locale=None)
    return user


async def csrf_token(client: AsyncTestClient[Litestar], page: str) -> str:
    """GET ``page`` so the CSRF cookie is set; the token goes back as ``x-csrftoken``."""
    await client.get(page)
    token = client.cookies.get("sra_csrf")
    assert token, "the page did not set a CSRF cookie"
    return token
