"""Messages between the agency and a household about its application.

An allocation officer asks for more information (``sra.households.verification``); the household
reads the question at ``/tenant/messages`` and answers there. An answer to a returned
application sends it back to the officers (``returned -> submitted``).

Bodies are personal data: the export gives them to the household and the eraser deletes them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import Enum, ForeignKey, Text, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.households.personal_data import eraser, exporter
from sra.households.status import move_household
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.notifications import notify
from sra.register.models import Household, HouseholdStatus

MAX_BODY = 4000
TENANT_PAGE = "/tenant/messages"
NEW_MESSAGE_NOTICE = lazy("The agency sent you a message about your application.")


class Sender(StrEnum):
    AGENCY = "agency"
    HOUSEHOLD = "household"


class HouseholdMessage(Base):
    __tablename__ = "household_message"

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[Sender] = mapped_column(
        Enum(
            Sender,
            name="message_sender",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # Who wrote it: the officer, or the household's own account. Kept for the audit trail.
    author_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)


# The body stays out of the audit log: the log says who wrote to whom and when, the message
# itself lives (and is erased) only here.
audit.register_entity("household_message", fields={"household_id", "sender", "author_id"})


def body_problem(body: str) -> str | None:
    """A translated sentence saying what is wrong with a message, or None."""
    if not body.strip():
        return _("Please write the message.")
    if len(body.strip()) > MAX_BODY:
        return _("A message can be at most {n} characters long.").format(n=MAX_BODY)
    return None


async def messages_of(session: AsyncSession, household_id: UUID) -> list[HouseholdMessage]:
    """The household's messages, oldest first (the caller has checked who may read them)."""
    rows = await session.scalars(
        select(HouseholdMessage)
        .where(HouseholdMessage.household_id == household_id)
        .order_by(HouseholdMessage.created_at, HouseholdMessage.id)
    )
    return list(rows)


async def message_of_household(
    session: AsyncSession, household_id: UUID, message_id: UUID
) -> HouseholdMessage | None:
    """One message, only when it belongs to ``household_id`` (None: the caller answers 404)."""
    message: HouseholdMessage | None = await session.scalar(
        select(HouseholdMessage).where(
            HouseholdMessage.id == message_id, HouseholdMessage.household_id == household_id
        )
    )
    return message


async def _add(
    session: AsyncSession,
    household: Household,
    sender: Sender,
    body: str,
    actor: CurrentUser,
) -> HouseholdMessage:
    problem = body_problem(body)
    if problem:
        raise ValueError(problem)
    message = HouseholdMessage(
        household_id=household.id, sender=sender, author_id=actor.id, body=body.strip()
    )
    session.add(message)
    await session.flush()
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action=f"household.message.{sender.value}",
        entity="household_message",
        entity_id=message.id,
        after={"household_id": household.id, "sender": sender, "author_id": actor.id},
    )
    return message


async def send_to_household(
    session: AsyncSession,
    household: Household,
    body: str,
    *,
    officer: CurrentUser,
    notify_household: bool = True,
) -> HouseholdMessage:
    """A message from the agency. The household is told, unless the caller tells it otherwise
    (a status move already carries the message as its notice)."""
    message = await _add(session, household, Sender.AGENCY, body, officer)
    if notify_household and household.user_id is not None:
        await notify(
            session, user_id=household.user_id, message=NEW_MESSAGE_NOTICE, link=TENANT_PAGE
        )
    return message


async def answer_agency(
    session: AsyncSession, household: Household, body: str, *, actor: CurrentUser
) -> HouseholdMessage:
    """The household's answer; a returned application goes back to the officers with it."""
    message = await _add(session, household, Sender.HOUSEHOLD, body, actor)
    if household.status is HouseholdStatus.RETURNED:
        await move_household(session, household, HouseholdStatus.SUBMITTED, actor=actor)
    return message


async def answered_since_asked(session: AsyncSession, household_ids: list[UUID]) -> set[UUID]:
    """Of ``household_ids``, those whose newest message is from the household."""
    if not household_ids:
        return set()
    rows = await session.execute(
        select(HouseholdMessage.household_id, HouseholdMessage.sender)
        .where(HouseholdMessage.household_id.in_(household_ids))
        .order_by(HouseholdMessage.created_at, HouseholdMessage.id)
    )
    newest: dict[UUID, Sender] = {}
    for household_id, sender in rows:
        newest[household_id] = sender
    return {h for h, sender in newest.items() if sender is Sender.HOUSEHOLD}


@exporter("messages")
async def _export(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    return [
        {"sent_at": m.created_at.isoformat(), "from": m.sender.value, "text": m.body}
        for m in await messages_of(session, household.id)
    ]


@eraser("messages")
async def _erase(session: AsyncSession, household: Household) -> None:
    """Delete the messages (the audit log never held their text)."""
    await session.execute(
        delete(HouseholdMessage).where(HouseholdMessage.household_id == household.id)
    )
    await session.flush()
