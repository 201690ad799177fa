"""Forgotten passwords: a one-hour link by e-mail, then a new password and no old sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.identity.mails import send_reset
from sra.identity.models import TokenPurpose, User
from sra.identity.passwords import hash_password_async
from sra.identity.service import find_by_identifier
from sra.identity.sessions import end_all_sessions
from sra.identity.tokens import RESET_VALID, find_valid_token, issue_token, use_token
from sra.settings import Settings


async def request_reset(session: AsyncSession, settings: Settings, email: str) -> None:
    """Mail a reset link if an active account has this address; silently nothing otherwise."""
    user = await find_by_identifier(session, email) if "@" in email else None
    if user is None or not user.is_active or not user.email:
        return
    token = await issue_token(session, user, TokenPurpose.RESET, RESET_VALID)
    await send_reset(session, settings, user, token)
    await session.flush()


async def reset_link_is_valid(session: AsyncSession, token_value: str) -> bool:
    return await find_valid_token(session, TokenPurpose.RESET, token_value) is not None


async def reset_password(session: AsyncSession, token_value: str, password: str) -> User | None:
    """Set the new password and end every session of the account; None if the link is spent."""
    found = await find_valid_token(session, TokenPurpose.RESET, token_value)
    if found is None:
        return None
    token, user = found
    if not user.is_active or not await use_token(session, token):
        return None
    user.password_hash = await hash_password_async(password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = datetime.now(UTC)  # the link reached the mailbox: it is theirs
    await end_all_sessions(session, user.id)
    await audit.record(
        session,
        actor_id=user.id,
        actor_label=user.display_name,
        action="user.password_reset",
        entity="user",
        entity_id=user.id,
        after={"password_hash": user.password_hash},
    )
    await session.flush()
    return user
