"""Server-side sessions: the browser keeps a random token, the database keeps its SHA-256."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar import Response
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import SESSION_COOKIE, hash_token
from sra.identity.models import User, UserSession
from sra.settings import Settings


async def start_session(
    session: AsyncSession, user: User, settings: Settings, ip_address: str | None
) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored as is).

    Staff start without their second factor: the guards send them to give it.
    """
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(hours=settings.session_hours),
            second_factor_done=not user.role.is_staff,
            ip_address=ip_address,
        )
    )
    await session.flush()
    return token


async def end_session_by_token(session: AsyncSession, token: str | None) -> None:
    if token:
        await session.execute(
            delete(UserSession).where(UserSession.token_hash == hash_token(token))
        )


async def end_all_sessions(session: AsyncSession, user_id: UUID) -> None:
    await session.execute(delete(UserSession).where(UserSession.user_id == user_id))


async def mark_second_factor_done(session: AsyncSession, session_id: UUID) -> None:
    await session.execute(
        update(UserSession).where(UserSession.id == session_id).values(second_factor_done=True)
    )


def set_session_cookie(response: Response[object], token: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear_session_cookie(response: Response[object], settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        "",
        max_age=0,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
