"""Slowing down password guessing: too many failures for one account or one address in a window.

Attempts are written in their own transaction: the request that records a failure answers
with an error status, and its own transaction is rolled back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.identity.models import LoginAttempt
from sra.settings import Settings


async def is_blocked(
    session_maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    identifier: str,
    ip: str | None,
) -> bool:
    """True once ``login_max_failures`` failures were seen for the identifier or the address."""
    since = datetime.now(UTC) - timedelta(minutes=settings.login_window_minutes)
    recent = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.created_at >= since, LoginAttempt.succeeded.is_(False))
    )
    async with session_maker() as session:
        by_identifier = await session.scalar(
            recent.where(LoginAttempt.identifier == identifier.lower())
        )
        by_ip = await session.scalar(recent.where(LoginAttempt.ip == ip)) if ip else 0
    limit = settings.login_max_failures
    return (by_identifier or 0) >= limit or (by_ip or 0) >= limit


async def note_attempt(
    session_maker: async_sessionmaker[AsyncSession],
    identifier: str,
    ip: str | None,
    *,
    succeeded: bool,
) -> None:
    async with session_maker() as session, session.begin():
        session.add(LoginAttempt(identifier=identifier.lower()[:254], ip=ip, succeeded=succeeded))


async def forget_old_attempts(session: AsyncSession, settings: Settings) -> int:
    """Delete attempts older than a day (or the window, if longer); they no longer count."""
    keep = max(timedelta(days=1), timedelta(minutes=settings.login_window_minutes))
    result = await session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < datetime.now(UTC) - keep)
    )
    return int(getattr(result, "rowcount", 0) or 0)
