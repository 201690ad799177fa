"""Creating and changing user accounts. Services take a session and never commit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.identity.models import User
from sra.identity.passwords import hash_password_async
from sra.identity.roles import Role
from sra.identity.sessions import end_all_sessions

audit.register_entity(
    "user",
    fields={"email", "display_name", "role", "is_active", "username", "locale"},
    secrets={"password_hash", "totp_secret"},
    personal={"email", "display_name", "username"},
)

SYSTEM = "system"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_username(username: str) -> str:
    return username.strip().lower()


def audit_view(user: User) -> dict[str, Any]:
    """The user's fields as the audit log may see them (secrets end up as "changed")."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "is_active": user.is_active,
        "username": user.username,
        "locale": user.locale,
    }


async def create_user(
    session: AsyncSession,
    *,
    email: str | None,
    display_name: str,
    role: Role,
    password: str | None,
    username: str | None = None,
    totp_secret: str | None = None,
    agency_id: UUID | None = None,
    locale: str | None = None,
    email_confirmed: bool = True,
    actor_id: UUID | None = None,
    actor_label: str = SYSTEM,
    ip_address: str | None = None,
) -> User:
    """Add a user (and an audit entry). A given ``totp_secret`` counts as already confirmed.

    ``password=None`` makes an account that cannot sign in until it is activated.
    """
    now = datetime.now(UTC)
    user = User(
        email=normalise_email(email) if email else None,
        username=normalise_username(username) if username else None,
        display_name=display_name.strip(),
        role=role,
        password_hash=await hash_password_async(password) if password else None,
        locale=locale,
        is_active=True,
        email_confirmed_at=now if (email and email_confirmed) else None,
        totp_secret=totp_secret,
        totp_confirmed_at=now if totp_secret else None,
        agency_id=agency_id,
    )
    session.add(user)
    await session.flush()
    after = audit_view(user)
    if user.password_hash:
        after["password_hash"] = user.password_hash
    if totp_secret:
        after["totp_secret"] = totp_secret
    await audit.record(
        session,
        actor_id=actor_id,
        actor_label=actor_label,
        action="user.created",
        entity="user",
        entity_id=user.id,
        after=after,
        ip_address=ip_address,
    )
    await session.flush()
    return user


async def email_taken(session: AsyncSession, email: str) -> bool:
    found = await session.scalar(
        select(func.count()).select_from(User).where(User.email == normalise_email(email))
    )
    return bool(found)


async def username_taken(session: AsyncSession, username: str) -> bool:
    found = await session.scalar(
        select(func.count()).select_from(User).where(User.username == normalise_username(username))
    )
    return bool(found)


async def find_by_identifier(session: AsyncSession, identifier: str) -> User | None:
    """The account signing in with an e-mail address or a username."""
    value = identifier.strip().lower()
    if not value:
        return None
    column = User.email if "@" in value else User.username
    return (await session.scalars(select(User).where(column == value))).first()


async def list_users(session: AsyncSession, role: Role | None = None) -> list[User]:
    query = select(User).order_by(User.display_name, User.id)
    if role is not None:
        query = query.where(User.role == role)
    return list((await session.scalars(query)).all())


async def set_active(
    session: AsyncSession,
    user: User,
    active: bool,
    *,
    actor_id: UUID,
    actor_label: str,
    ip_address: str | None = None,
) -> None:
    """Deactivate (which signs the person out everywhere) or reactivate an account."""
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        await end_all_sessions(session, user.id)
    await audit.record(
        session,
        actor_id=actor_id,
        actor_label=actor_label,
        action="user.reactivated" if active else "user.deactivated",
        entity="user",
        entity_id=user.id,
        before={"is_active": not active},
        after={"is_active": active},
        ip_address=ip_address,
    )
    await session.flush()


async def reset_second_factor(
    session: AsyncSession,
    user: User,
    *,
    actor_id: UUID,
    actor_label: str,
    ip_address: str | None = None,
) -> None:
    """Forget the authenticator: at the next sign-in the person sets up a new one."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    await end_all_sessions(session, user.id)
    await audit.record(
        session,
        actor_id=actor_id,
        actor_label=actor_label,
        action="user.second_factor_reset",
        entity="user",
        entity_id=user.id,
        after={"totp_secret": None},
        ip_address=ip_address,
    )
    await session.flush()


async def confirm_second_factor(
    session: AsyncSession, user: User, secret: str, ip_address: str | None = None
) -> None:
    user.totp_secret = secret
    user.totp_confirmed_at = datetime.now(UTC)
    await audit.record(
        session,
        actor_id=user.id,
        actor_label=user.display_name,
        action="user.second_factor_set_up",
        entity="user",
        entity_id=user.id,
        after={"totp_secret": secret},
        ip_address=ip_address,
    )
    await session.flush()
