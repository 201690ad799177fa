"""What every status machine of DOMAIN.md shares: a graph of allowed moves, the moves that need
a reason, and the record each move leaves (its history row and an audit entry).

A context keeps its own statuses, history table and notices (``sra.households.status``,
``sra.register.unit_status``) and asks a :class:`StatusGraph` whether a move may happen, then
:func:`record_move` to keep it. A move that is refused raises :class:`TransitionNotAllowed`
before anything changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.db.base import Base
from sra.identity.current import CurrentUser

StatusT = TypeVar("StatusT", bound=Enum)


class TransitionNotAllowed(ValueError):
    """The move is not in DOMAIN.md's graph, or it came without the reason it needs."""

    def __init__(self, origin: Enum, to: Enum, why: str = "", *, noun: str = "record") -> None:
        self.origin = origin
        self.to = to
        super().__init__(why or f"a {noun} cannot go from {origin.value} to {to.value}")


@dataclass(frozen=True)
class StatusGraph(Generic[StatusT]):
    """The moves a ``noun`` (household, unit) may make; every status may also be withdrawn."""

    noun: str
    allowed: Mapping[StatusT, frozenset[StatusT]]
    needs_reason: frozenset[StatusT]

    @classmethod
    def withdrawable(
        cls,
        noun: str,
        forward: Mapping[StatusT, frozenset[StatusT]],
        *,
        withdrawn: StatusT,
        needs_reason: frozenset[StatusT] = frozenset(),
    ) -> StatusGraph[StatusT]:
        """``forward`` plus a move to ``withdrawn`` from every other status."""
        allowed = {
            origin: targets | (frozenset() if origin is withdrawn else frozenset({withdrawn}))
            for origin, targets in forward.items()
        }
        return cls(noun=noun, allowed=allowed, needs_reason=needs_reason)

    def can_move(self, origin: StatusT, to: StatusT) -> bool:
        return to in self.allowed[origin]

    def refuse(self, origin: StatusT, to: StatusT) -> TransitionNotAllowed:
        return TransitionNotAllowed(origin, to, noun=self.noun)

    def check(self, origin: StatusT, to: StatusT, reason: str | None) -> str | None:
        """The move's reason (stripped, ``None`` when blank), or :class:`TransitionNotAllowed`."""
        if not self.can_move(origin, to):
            raise self.refuse(origin, to)
        reason = (reason or "").strip() or None
        if to in self.needs_reason and reason is None:
            raise TransitionNotAllowed(origin, to, f"moving to {to.value} needs a reason")
        return reason


async def record_move(
    session: AsyncSession,
    change: Base,
    *,
    entity: str,
    entity_id: UUID,
    origin: Enum,
    to: Enum,
    actor: CurrentUser | None,
) -> None:
    """Keep ``change`` (the context's history row) and write the move to the audit log."""
    session.add(change)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action=f"{entity}.status",
        entity=entity,
        entity_id=entity_id,
        before={"status": origin},
        after={"status": to},
    )
