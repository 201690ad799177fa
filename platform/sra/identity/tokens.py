"""Single-use tokens: e-mail confirmation, password reset, account activation codes."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import hash_token
from sra.identity.models import TokenPurpose, User, UserToken

CONFIRM_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=1)
ACTIVATION_VALID = timedelta(days=30)

# No 0/O, 1/I/L: the code is read from paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_activation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What a person typed, as it was issued: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def display_code(code: str) -> str:
    """Groups of five, easier to copy from paper: ABCDE-FGHJK."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


async def issue_token(
    session: AsyncSession,
    user: User,
    purpose: TokenPurpose,
    valid_for: timedelta,
    secret: str | None = None,
) -> str:
    """Store a new token for ``user`` (hashed) and return its clear value, to send once.

    Earlier unused tokens of the same purpose stop working: only the newest link counts.
    """
    now = datetime.now(UTC)
    await session.execute(
        update(UserToken)
        .where(
            UserToken.user_id == user.id,
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    value = secret or new_link_token()
    session.add(
        UserToken(
            purpose=purpose,
            token_hash=hash_token(value),
            user_id=user.id,
            expires_at=now + valid_for,
        )
    )
    await session.flush()
    return value


async def find_valid_token(
    session: AsyncSession, purpose: TokenPurpose, value: str
) -> tuple[UserToken, User] | None:
    """The unused, unexpired token with this value and its user, or None."""
    if not value:
        return None
    row = (
        await session.execute(
            select(UserToken, User)
            .join(User, User.id == UserToken.user_id)
            .where(UserToken.token_hash == hash_token(value), UserToken.purpose == purpose)
        )
    ).first()
    if row is None:
        return None
    token, user = row
    if token.used_at is not None or token.expires_at <= datetime.now(UTC):
        return None
    return token, user


async def use_token(session: AsyncSession, token: UserToken) -> bool:
    """Mark ``token`` used; False when a concurrent request used it first."""
    result = await session.execute(
        update(UserToken)
        .where(UserToken.id == token.id, UserToken.used_at.is_(None))
        .values(used_at=datetime.now(UTC))
    )
    return bool(getattr(result, "rowcount", 0) == 1)
