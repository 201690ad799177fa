"""Offers: one unit offered to one household, answered by a deadline (DOMAIN.md).

A person sends every offer (``send_offer``): the unit goes ``available -> offered`` and the
household ``active -> offered``, and the household is told in its language with a link to the
offer. Accepting lets the unit (``offered -> let``), houses the household and drafts the
sublease; declining (with a reason) or expiry (``matching.offer_expiry``) gives both back
(``offered -> available`` / ``offered -> active``). Every answer is one conditional UPDATE on
``status = 'sent'``, and the unit row is locked before it moves, so two clicks, two tabs or a
click racing the expiry job answer an offer once and let a unit once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Text,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from contracts.leases import create_draft_sublease
from matching.offer_policy import policy_of
from matching.rounds import AllocationRound, Proposal
from sra import audit
from sra.db.base import Base
from sra.households.status import move_household
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.notifications import notify
from sra.register.models import Building, Household, HouseholdStatus, Unit, UnitStatus
from sra.register.queries import agency_of_unit
from sra.register.unit_status import move_unit
from sra.settings import Settings


class OfferStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class DeclineReason(StrEnum):
    LOCATION = "location"
    SIZE = "size"
    ACCESS = "access"
    COST = "cost"
    CONDITION = "condition"
    FOUND_HOME = "found_home"
    PERSONAL = "personal"
    OTHER = "other"


class FollowUp(StrEnum):
    """What the officer chose for the unit after a decline or an expiry."""

    NEXT_HOUSEHOLD = "next_household"
    NEXT_ROUND = "next_round"


MAX_NOTE = 1000


class OfferError(ValueError):
    """The offer cannot do that in its present state (the message is for logs, not people)."""


class OfferClosed(OfferError):
    """The offer is no longer open: answered, withdrawn, expired or past its deadline."""


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


def _one_sent_per(column: str) -> Index:
    return Index(
        f"uq_offer_{column}_sent",
        column,
        unique=True,
        sqlite_where=text("status = 'sent'"),
        postgresql_where=text("status = 'sent'"),
    )


class Offer(Base):
    __tablename__ = "offer"
    __table_args__ = (
        # A unit is offered to one household at a time, a household gets one offer at a time.
        _one_sent_per("unit_id"),
        _one_sent_per("household_id"),
        CheckConstraint("rent_cents >= 0 AND charges_cents >= 0", name="amounts_not_negative"),
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="reason"),
        CheckConstraint("status = 'sent' OR answered_at IS NOT NULL", name="answered"),
        CheckConstraint("penalty_rounds >= 0", name="penalty_not_negative"),
    )

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    round_id: Mapped[UUID | None] = mapped_column(
        ForeignKey(AllocationRound.id, ondelete="SET NULL"), index=True
    )
    proposal_id: Mapped[UUID | None] = mapped_column(
        ForeignKey(Proposal.id, ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="RESTRICT"), index=True
    )
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[OfferStatus] = mapped_column(
        _enum(OfferStatus, "offer_status"), default=OfferStatus.SENT, index=True
    )
    # What the household was offered: the sublease is drafted with these amounts.
    rent_cents: Mapped[int] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        _enum(DeclineReason, "offer_decline_reason")
    )
    decline_note: Mapped[str | None] = mapped_column(Text)
    # Rounds the household sits out after declining (the agency's policy when it declined).
    penalty_rounds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    sent_by: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    follow_up: Mapped[FollowUp | None] = mapped_column(_enum(FollowUp, "offer_follow_up"))
    follow_up_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    follow_up_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    next_offer_id: Mapped[UUID | None] = mapped_column(ForeignKey("offer.id", ondelete="SET NULL"))

    @property
    def total_cents(self) -> int:
        return self.rent_cents + self.charges_cents

    @property
    def awaits_follow_up(self) -> bool:
        closed = (OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN)
        return self.status in closed and self.follow_up is None


async def record(
    session: AsyncSession, offer: Offer, action: str, actor: CurrentUser | None
) -> None:
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action=action,
        entity="offer",
        entity_id=offer.id,
        after={name: getattr(offer, name) for name in AUDITED},
    )


async def unit_address(session: AsyncSession, unit_id: UUID) -> str:
    row = (
        await session.execute(
            select(Unit.label, Building.street, Building.postcode, Building.municipality)
            .join(Building, Building.id == Unit.building_id)
            .where(Unit.id == unit_id)
        )
    ).one()
    return f"{row.street} ({row.label}), {row.postcode} {row.municipality}"


async def send_offer(
    session: AsyncSession,
    *,
    unit_id: UUID,
    household_id: UUID,
    officer: CurrentUser,
    deadline: date,
    round_id: UUID | None = None,
    proposal_id: UUID | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> Offer:
    """Offer the unit to the household (both of the officer's agency); they are told so.

    Raises OfferError when the deadline is not in the future, when either is of another
    agency, or when the unit has no tenant rent; ``TransitionNotAllowed`` (from the status
    modules) when the unit is not available or the household not active.
    """
    if deadline <= (today or date.today()):
        raise OfferError("the deadline must be after today")
    unit = await _locked(session, Unit, unit_id)
    household = await _locked(session, Household, household_id)
    agency_id = household.agency_id
    unit_agency_id = await agency_of_unit(session, unit)
    if officer.agency_id not in (None, agency_id) or unit_agency_id != agency_id:
        raise OfferError("the unit and the household must be of the officer's agency")
    if unit.tenant_rent_cents is None:
        raise OfferError(f"unit {unit.id} has no tenant rent yet")
    offer = Offer(
        agency_id=agency_id,
        round_id=round_id,
        proposal_id=proposal_id,
        unit_id=unit.id,
        household_id=household.id,
        deadline=deadline,
        status=OfferStatus.SENT,
        rent_cents=unit.tenant_rent_cents,
        charges_cents=unit.charges_cents,
        penalty_rounds=0,
        sent_by=officer.id,
    )
    await move_unit(session, unit, UnitStatus.OFFERED, actor=officer)
    # The offer's own e-mail and notice tell the household, with the flat's details.
    await move_household(session, household, HouseholdStatus.OFFERED, actor=officer, tell=False)
    session.add(offer)
    await session.flush()
    await record(session, offer, "offer.sent", officer)
    if household.user_id is not None:
        await notify(
            session,
            user_id=household.user_id,
            message=lazy("You have an offer for a home: {unit}. Please answer by {deadline}."),
            params={"unit": await unit_address(session, unit.id), "deadline": str(deadline)},
            link=f"/tenant/offers/{offer.id}",
            settings=settings,
        )
    await session.flush()
    return offer


Row = TypeVar("Row", Unit, Household)


async def _locked(session: AsyncSession, model: type[Row], row_id: UUID) -> Row:
    """The row, locked until the transaction ends (PostgreSQL; SQLite locks the whole file),
    and re-read so a move sees the status another transaction committed."""
    row = await session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise OfferError(f"{model.__tablename__} {row_id} does not exist")
    return row


async def close_offer(
    session: AsyncSession, offer: Offer, to: OfferStatus, now: datetime, **values: Any
) -> bool:
    """sent -> ``to`` in one conditional UPDATE; False when the offer was no longer sent."""
    result = await session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.SENT)
        .values(status=to, answered_at=now, **values)
        .execution_options(synchronize_session="fetch")
    )
    await session.refresh(offer)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def accept(
    session: AsyncSession,
    offer: Offer,
    *,
    actor: CurrentUser | None,
    today: date | None = None,
) -> bool:
    """The household accepts: True when this call accepted it, False when it already was.

    Raises OfferClosed when the offer was declined, withdrawn or expired, or its deadline
    passed; ``TransitionNotAllowed`` when the unit is no longer offered (the caller's
    transaction then rolls back, and nothing is kept).
    """
    today = today or date.today()
    if offer.status is OfferStatus.SENT and offer.deadline < today:
        raise OfferClosed("the deadline has passed")
    if not await close_offer(session, offer, OfferStatus.ACCEPTED, datetime.now(UTC)):
        if offer.status is OfferStatus.ACCEPTED:
            return False
        raise OfferClosed(f"a {offer.status} offer cannot be accepted")
    unit = await _locked(session, Unit, offer.unit_id)
    household = await _locked(session, Household, offer.household_id)
    # The unit-level guard: only an offered unit can be let, and only once.
    await move_unit(session, unit, UnitStatus.LET, actor=actor)
    await move_household(session, household, HouseholdStatus.HOUSED, actor=actor)
    await create_draft_sublease(
        session,
        offer.unit_id,
        offer.household_id,
        offer.id,
        rent_cents=offer.rent_cents,
        charges_cents=offer.charges_cents,
        actor=actor,
    )
    await record(session, offer, "offer.accepted", actor)
    await tell_officer(
        session, offer, household, lazy("{household} accepted the offer for {unit}.")
    )
    await session.flush()
    return True


def decline_problems(reason: str, note: str) -> dict[str, str]:
    """Translated messages per field; empty when the answer can be stored."""
    problems: dict[str, str] = {}
    if reason not in {r.value for r in DeclineReason}:
        problems["reason"] = _("Please choose a reason from the list.")
    elif reason == DeclineReason.OTHER and not note.strip():
        problems["note"] = _("Please tell us the reason in a few words.")
    if len(note) > MAX_NOTE:
        problems["note"] = _("At most {n} characters, please.").format(n=MAX_NOTE)
    return problems


async def decline(
    session: AsyncSession,
    offer: Offer,
    *,
    reason: str,
    note: str,
    actor: CurrentUser | None,
) -> None:
    """The household declines with a reason: the unit and the household go back.

    Raises OfferError on a bad reason (check ``decline_problems`` first) and OfferClosed when
    the offer is no longer open.
    """
    if decline_problems(reason, note):
        raise OfferError("a decline needs a reason from the list")
    policy = await policy_of(session, offer.agency_id)
    closed = await close_offer(
        session,
        offer,
        OfferStatus.DECLINED,
        datetime.now(UTC),
        decline_reason=DeclineReason(reason),
        decline_note=note.strip() or None,
        penalty_rounds=policy.decline_penalty_rounds,
    )
    if not closed:
        raise OfferClosed(f"a {offer.status} offer cannot be declined")
    household = await give_back(session, offer, actor=actor)
    await record(session, offer, "offer.declined", actor)
    await tell_officer(
        session,
        offer,
        household,
        lazy("{household} declined the offer for {unit}. Please choose what happens next."),
    )
    await session.flush()


async def withdraw(session: AsyncSession, offer: Offer, *, actor: CurrentUser) -> None:
    """The officer takes back an offer still waiting for an answer (a mistake, a change)."""
    if not await close_offer(session, offer, OfferStatus.WITHDRAWN, datetime.now(UTC)):
        raise OfferClosed(f"a {offer.status} offer cannot be withdrawn")
    household = await give_back(session, offer, actor=actor)
    await record(session, offer, "offer.withdrawn", actor)
    if household.user_id is not None:
        await notify(
            session,
            user_id=household.user_id,
            message=lazy("The agency has withdrawn its offer for {unit}."),
            params={"unit": await unit_address(session, offer.unit_id)},
            link=f"/tenant/offers/{offer.id}",
        )
    await session.flush()


async def give_back(session: AsyncSession, offer: Offer, *, actor: CurrentUser | None) -> Household:
    """After a closed offer: the unit is available again, the household active again."""
    unit = await _locked(session, Unit, offer.unit_id)
    household = await _locked(session, Household, offer.household_id)
    if unit.status is UnitStatus.OFFERED:
        await move_unit(session, unit, UnitStatus.AVAILABLE, actor=actor)
    if household.status is HouseholdStatus.OFFERED:
        await move_household(session, household, HouseholdStatus.ACTIVE, actor=actor)
    return household


async def tell_officer(
    session: AsyncSession, offer: Offer, household: Household, message: str
) -> None:
    if offer.sent_by is None:
        return
    params = {"household": household.name, "unit": await unit_address(session, offer.unit_id)}
    await notify(
        session,
        user_id=offer.sent_by,
        message=message,
        params=params,
        link=f"/staff/offers/{offer.id}",
        email=False,
    )


AUDITED = (
    "agency_id",
    "round_id",
    "proposal_id",
    "unit_id",
    "household_id",
    "deadline",
    "status",
    "rent_cents",
    "charges_cents",
    "decline_reason",
    "decline_note",
    "penalty_rounds",
    "answered_at",
    "follow_up",
    "next_offer_id",
)
audit.register_entity("offer", fields=set(AUDITED), personal={"decline_note"})
