"""Who is making the request: loaded once per request from the session cookie."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User, UserSession
from sra.identity.roles import Role

SESSION_COOKIE = "sra_session"


@dataclass(frozen=True, slots=True)
class CurrentUser:
    id: UUID
    role: Role
    display_name: str
    locale: str | None
    agency_id: UUID | None
    session_id: UUID
    second_factor_done: bool

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def fully_signed_in(self) -> bool:
        """Staff count as signed in only after their second factor."""
        return self.second_factor_done or not self.is_staff


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def load_current_user(session: AsyncSession, token: str | None) -> CurrentUser | None:
    if not token:
        return None
    row = (
        await session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == hash_token(token))
        )
    ).first()
    if row is None:
        return None
    user_session, user = row
    if user_session.expires_at <= datetime.now(UTC) or not user.is_active:
        return None
    return CurrentUser(
        id=user.id,
        role=user.role,
        display_name=user.display_name,
        locale=user.locale,
        agency_id=user.agency_id,
        session_id=user_session.id,
        second_factor_done=user_session.second_factor_done,
    )


def acting_as(user: User) -> CurrentUser:
    """``user`` as the actor of work done outside a request (demo data, a test's setup): the
    audit log and notices name them as if they had signed in with their second factor."""
    return CurrentUser(
        id=user.id,
        role=user.role,
        display_name=user.display_name,
        locale=user.locale,
        agency_id=user.agency_id,
        session_id=uuid4(),
        second_factor_done=True,
    )
