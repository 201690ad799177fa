"""Users, their server-side sessions, one-time tokens and sign-in attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base
from sra.identity.roles import Role


class User(Base):
    __tablename__ = "user_account"

    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # For people without an e-mail address (households whose account an officer opened).
    username: Mapped[str | None] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="role", native_enum=False, values_callable=lambda e: [r.value for r in e])
    )
    password_hash: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    agency_id: Mapped[UUID | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))


class UserSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    ip_address: Mapped[str | None] = mapped_column(String(45))


class TokenPurpose(StrEnum):
    CONFIRM = "confirm"
    RESET = "reset"
    ACTIVATION = "activation"


class UserToken(Base):
    """A single-use secret sent by e-mail or handed over on paper; only its SHA-256 is stored."""

    __tablename__ = "user_token"

    purpose: Mapped[TokenPurpose] = mapped_column(
        Enum(
            TokenPurpose,
            name="token_purpose",
            native_enum=False,
            values_callable=lambda e: [p.value for p in e],
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class LoginAttempt(Base):
    """One sign-in try, kept to slow down password guessing (by account and by address)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_identifier_created_at", "identifier", "created_at"),
        Index("ix_login_attempt_ip_created_at", "ip", "created_at"),
    )

    identifier: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
