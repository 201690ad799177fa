"""Sign a test client in as a user without the sign-in pages: a session row and its cookie.

For pages behind a role guard; the sign-in flow itself is tested in tests/sra/identity.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import SESSION_COOKIE, hash_token
from sra.identity.models import User, UserSession


async def sign_in_as(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    user: User,
    *,
    second_factor_done: bool = True,
    locale: str | None = "en",
) -> str:
    """Give ``client`` a fresh session of ``user`` (staff past their second factor by default).

    The user's language is set to ``locale`` (English unless told), so pages read predictably.
    """
    if locale is not None:
        user.locale = locale
    token = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(hours=1),
            second_factor_done=second_factor_done,
        )
    )
    await db.commit()
    client.cookies.set(SESSION_COOKIE, token)
    return token
