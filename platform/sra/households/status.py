"""A household's life (DOMAIN.md): the only place that changes ``Household.status``.

``draft -> submitted -> active`` (verified) | ``returned`` (more information asked; back to
``submitted`` when answered) | ``rejected`` (with a reason); ``active -> offered -> housed``;
``offered -> active`` on decline or expiry; ``active -> inactive`` when the yearly renewal
lapses, back to ``active`` when confirmed; any -> ``withdrawn``. A rejected or withdrawn
household may start again from ``draft``.

Each move is kept in ``household_status_change`` (with the reason, which the household reads),
written to the audit log, and told to the household's user through ``sra.notifications``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Enum, ForeignKey, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.notifications import notify
from sra.register.models import Household, HouseholdStatus
from sra.status_moves import StatusGraph, record_move
from sra.status_moves import TransitionNotAllowed as TransitionNotAllowed

S = HouseholdStatus

GRAPH = StatusGraph.withdrawable(
    "household",
    {
        S.DRAFT: frozenset({S.SUBMITTED}),
        S.SUBMITTED: frozenset({S.ACTIVE, S.RETURNED, S.REJECTED}),
        S.RETURNED: frozenset({S.SUBMITTED}),
        S.ACTIVE: frozenset({S.OFFERED, S.INACTIVE}),
        S.OFFERED: frozenset({S.HOUSED, S.ACTIVE}),
        S.HOUSED: frozenset(),
        S.INACTIVE: frozenset({S.ACTIVE}),
        S.REJECTED: frozenset({S.DRAFT}),
        S.WITHDRAWN: frozenset({S.DRAFT}),
    },
    withdrawn=S.WITHDRAWN,
    # Moves that need a reason the household can read.
    needs_reason=frozenset({S.REJECTED, S.RETURNED}),
)

# What the household is told, per new status (msgids; translated when shown or sent).
NOTICES: dict[HouseholdStatus, str] = {
    S.DRAFT: lazy("Your application is open again: you can change it and send it."),
    S.SUBMITTED: lazy("Your application was sent to the agency. We will check it."),
    S.RETURNED: lazy("The agency needs more information: {reason}"),
    S.ACTIVE: lazy("Your application is verified: you are on the register."),
    S.REJECTED: lazy("Your application was not accepted. Reason: {reason}"),
    S.OFFERED: lazy("You have an offer for a home."),
    S.HOUSED: lazy("You are housed. Welcome home."),
    S.INACTIVE: lazy("Your application is inactive: please confirm your profile."),
    S.WITHDRAWN: lazy("Your application was withdrawn."),
}


# Where the notice takes the household: to the question when the agency asked one.
NOTICE_LINKS: dict[HouseholdStatus, str] = {
    S.RETURNED: "/tenant/messages",
    S.OFFERED: "/tenant/offers",
    S.HOUSED: "/tenant/offers",
}
# Moves whose meaning differs from the new status alone.
MOVE_NOTICES: dict[tuple[HouseholdStatus, HouseholdStatus], str] = {
    (S.OFFERED, S.ACTIVE): lazy(
        "The offer is closed. You are back on the waiting list and can receive other offers."
    ),
    (S.INACTIVE, S.ACTIVE): lazy(
        "Thank you for confirming your profile: you are on the register again."
    ),
}


def _status_column(name: str) -> Enum:
    return Enum(
        HouseholdStatus,
        name=name,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
    )


class HouseholdStatusChange(Base):
    """One move of one household: the history the household and staff read."""

    __tablename__ = "household_status_change"

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[HouseholdStatus] = mapped_column(_status_column("household_status_from"))
    to_status: Mapped[HouseholdStatus] = mapped_column(_status_column("household_status_to"))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    moved_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


async def move_household(
    session: AsyncSession,
    household: Household,
    to: HouseholdStatus,
    *,
    actor: CurrentUser | None,
    reason: str | None = None,
    tell: bool = True,
) -> None:
    """Move ``household`` to ``to`` or raise :class:`TransitionNotAllowed`; nothing changes then.

    ``tell=False`` when the caller sends the household a fuller message of its own (an offer)."""
    origin = household.status
    reason = GRAPH.check(origin, to, reason)
    household.status = to
    now = datetime.now(UTC)
    if to is S.SUBMITTED:
        household.submitted_at = now
    change = HouseholdStatusChange(
        household_id=household.id,
        from_status=origin,
        to_status=to,
        reason=reason,
        actor_id=actor.id if actor else None,
        moved_at=now,
    )
    await record_move(
        session,
        change,
        entity="household",
        entity_id=household.id,
        origin=origin,
        to=to,
        actor=actor,
    )
    if tell and household.user_id is not None:
        await notify(
            session,
            user_id=household.user_id,
            message=MOVE_NOTICES.get((origin, to), NOTICES[to]),
            params={"reason": reason or ""},
            link=NOTICE_LINKS.get(to, "/tenant"),
        )
    await session.flush()


async def history(session: AsyncSession, household_id: UUID) -> list[HouseholdStatusChange]:
    """The household's moves, oldest first."""
    rows = await session.scalars(
        select(HouseholdStatusChange)
        .where(HouseholdStatusChange.household_id == household_id)
        .order_by(HouseholdStatusChange.moved_at, HouseholdStatusChange.created_at)
    )
    return list(rows)
