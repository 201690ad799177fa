"""Notifications: a line in the user's portal list and, when they have an address, an e-mail.

The message is stored untranslated (a msgid with ``{name}`` placeholders and its params) so
each reader sees it in their own language; the e-mail is translated once, when it is queued,
into the recipient's language.

    await notify(session, user_id=landlord.user_id,
                 message=lazy("Your unit {unit} was approved."), params={"unit": unit.label},
                 link=f"/landlord/units/{unit.id}")
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, String, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base
from sra.i18n import gettext as _
from sra.i18n import use_locale
from sra.identity.models import User
from sra.mail import send_mail
from sra.register.models import Agency
from sra.settings import Settings


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    @property
    def text(self) -> str:
        """The message in the current locale, placeholders filled in."""
        return render(self.message, self.params)


def render(message: str, params: dict[str, Any] | None) -> str:
    translated = _(message)
    try:
        return translated.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not hide the notice: fall back.
        return message.format(**(params or {}))


async def notify(
    session: AsyncSession,
    *,
    user_id: UUID,
    message: str,
    params: dict[str, str] | None = None,
    link: str | None = None,
    email: bool = True,
    settings: Settings | None = None,
) -> None:
    """Add a notification in the caller's transaction; queue an e-mail if asked and possible.

    ``settings`` (optional) gives the default language and the base URL for the e-mail link;
    without it the agency's default language is used and the link stays a path.
    """
    session.add(Notification(user_id=user_id, message=message, params=params or {}, link=link))
    if email:
        user = await session.get(User, user_id)
        if user is not None and user.email and user.is_active:
            await _send(session, user, message, params or {}, link, settings)
    await session.flush()


async def _send(
    session: AsyncSession,
    user: User,
    message: str,
    params: dict[str, str],
    link: str | None,
    settings: Settings | None,
) -> None:
    assert user.email is not None
    locale = user.locale or await _default_locale(session, user, settings)
    with use_locale(locale):
        text = render(message, params)
        parts = [_("Hello {name},").format(name=user.display_name), text]
        if link:
            base = settings.base_url.rstrip("/") if settings is not None else ""
            parts += [_("More details in your portal:"), base + link]
        subject = _("News from the social rental agency")
    await send_mail(session, to=user.email, subject=subject, text="\n\n".join(parts))


async def _default_locale(session: AsyncSession, user: User, settings: Settings | None) -> str:
    if settings is not None:
        return settings.default_locale
    if user.agency_id is not None:
        agency = await session.get(Agency, user.agency_id)
        if agency is not None:
            return agency.default_locale
    return "en"


async def unread_count(session: AsyncSession, user_id: UUID) -> int:
    query = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return int((await session.execute(query)).scalar_one())


async def latest(session: AsyncSession, user_id: UUID, limit: int = 50) -> list[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def mark_read(session: AsyncSession, user_id: UUID, notification_id: UUID | None) -> None:
    """Mark one notification (or, with ``None``, all of them) read; others' ids do nothing."""
    query = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    await session.execute(query.values(read_at=datetime.now(UTC)))
    await session.flush()
