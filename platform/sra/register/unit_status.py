"""A unit's life (DOMAIN.md): the only place that changes ``Unit.status``.

``draft -> submitted -> inspection_scheduled -> inspected -> approved | rejected``;
``approved -> available`` only when the head lease or mandate is accepted
(:func:`open_for_allocation`, called by the lease acceptance, never by a form);
``available -> offered -> let``; ``offered -> available`` (declined or expired offer);
``let -> available`` when a sublease ends; any -> ``withdrawn``. A rejection needs a reason;
a rejected unit may go back to ``draft`` so the landlord can revise and submit it again.

Each move is kept in ``unit_status_change`` (with the reason, which the landlord may read),
written to the audit log, and told to the landlord's user through ``sra.notifications``.
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
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.status_moves import StatusGraph, record_move
from sra.status_moves import TransitionNotAllowed as TransitionNotAllowed

S = UnitStatus

# from -> the statuses ``move_unit`` may take a unit to. ``withdrawn`` is added for all but itself.
GRAPH = StatusGraph.withdrawable(
    "unit",
    {
        S.DRAFT: frozenset({S.SUBMITTED}),
        S.SUBMITTED: frozenset({S.INSPECTION_SCHEDULED, S.REJECTED}),
        S.INSPECTION_SCHEDULED: frozenset({S.INSPECTED, S.REJECTED}),
        S.INSPECTED: frozenset({S.APPROVED, S.REJECTED}),
        S.APPROVED: frozenset(),
        S.REJECTED: frozenset({S.DRAFT}),
        S.AVAILABLE: frozenset({S.OFFERED}),
        S.OFFERED: frozenset({S.LET, S.AVAILABLE}),
        S.LET: frozenset({S.AVAILABLE}),
        S.WITHDRAWN: frozenset(),
    },
    withdrawn=S.WITHDRAWN,
    needs_reason=frozenset({S.REJECTED}),
)

# The one move that only an accepted head lease or mandate may make.
LEASE_ACCEPTED_MOVE = (S.APPROVED, S.AVAILABLE)

# What the landlord is told, per new status (untranslated ids, translated when shown or sent).
NOTICES: dict[UnitStatus, str] = {
    S.DRAFT: lazy("Your unit {unit} is back in draft: you can revise it and submit it again."),
    S.SUBMITTED: lazy("Your unit {unit} was submitted to the agency."),
    S.INSPECTION_SCHEDULED: lazy("An inspection of your unit {unit} has been scheduled."),
    S.INSPECTED: lazy("Your unit {unit} has been inspected."),
    S.APPROVED: lazy("Your unit {unit} was approved. The agency will propose the lease terms."),
    S.REJECTED: lazy("Your unit {unit} was not approved. Reason: {reason}"),
    S.AVAILABLE: lazy("Your unit {unit} is now available for allocation."),
    S.OFFERED: lazy("Your unit {unit} has been offered to a household."),
    S.LET: lazy("Your unit {unit} is now let."),
    S.WITHDRAWN: lazy("Your unit {unit} has been withdrawn."),
}


def _status_column(name: str) -> Enum:
    return Enum(
        UnitStatus, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e]
    )


class UnitStatusChange(Base):
    """One move of one unit: the history the landlord and staff read (with the reason)."""

    __tablename__ = "unit_status_change"

    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[UnitStatus] = mapped_column(_status_column("unit_status_from"))
    to_status: Mapped[UnitStatus] = mapped_column(_status_column("unit_status_to"))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    moved_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


async def move_unit(
    session: AsyncSession,
    unit: Unit,
    to: UnitStatus,
    *,
    actor: CurrentUser | None,
    reason: str | None = None,
) -> None:
    """Move ``unit`` to ``to`` or raise :class:`TransitionNotAllowed`; nothing changes then."""
    reason = GRAPH.check(unit.status, to, reason)
    await _apply(session, unit, to, actor=actor, reason=reason)


async def open_for_allocation(
    session: AsyncSession, unit: Unit, *, actor: CurrentUser | None
) -> None:
    """``approved -> available``: for the lease acceptance only (the landlord signed the terms)."""
    if (unit.status, UnitStatus.AVAILABLE) != LEASE_ACCEPTED_MOVE:
        raise GRAPH.refuse(unit.status, S.AVAILABLE)
    await _apply(session, unit, S.AVAILABLE, actor=actor, reason=None)


async def _apply(
    session: AsyncSession,
    unit: Unit,
    to: UnitStatus,
    *,
    actor: CurrentUser | None,
    reason: str | None,
) -> None:
    origin = unit.status
    unit.status = to
    change = UnitStatusChange(
        unit_id=unit.id,
        from_status=origin,
        to_status=to,
        reason=reason,
        actor_id=actor.id if actor else None,
        moved_at=datetime.now(UTC),
    )
    await record_move(
        session, change, entity="unit", entity_id=unit.id, origin=origin, to=to, actor=actor
    )
    await _tell_landlord(session, unit, to, reason)
    await session.flush()


async def _tell_landlord(
    session: AsyncSession, unit: Unit, to: UnitStatus, reason: str | None
) -> None:
    row = (
        await session.execute(
            select(Landlord.user_id, Building.street, Building.municipality)
            .join(Building, Building.landlord_id == Landlord.id)
            .where(Building.id == unit.building_id)
        )
    ).first()
    # Told also when the landlord made the move: the e-mail is their receipt.
    if row is None or row.user_id is None:
        return
    params = {"unit": f"{row.street} {unit.label}, {row.municipality}", "reason": reason or ""}
    await notify(
        session,
        user_id=row.user_id,
        message=NOTICES[to],
        params=params,
        link=f"/landlord/units/{unit.id}",
    )


async def history(session: AsyncSession, unit_id: UUID) -> list[UnitStatusChange]:
    """The unit's moves, oldest first."""
    rows = await session.scalars(
        select(UnitStatusChange)
        .where(UnitStatusChange.unit_id == unit_id)
        .order_by(UnitStatusChange.moved_at, UnitStatusChange.created_at)
    )
    return list(rows)
