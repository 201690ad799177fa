"""An agency's offer settings: how long a household has to answer, and whether declining costs
it anything. Declining carries no penalty unless the agency sets one (issue 6).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import CheckConstraint, ForeignKey, Integer, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.identity.current import CurrentUser
from sra.register.form_values import whole_numbers

MAX_PENALTY_ROUNDS = 10
MAX_DEADLINE_DAYS = 60
DEFAULT_DEADLINE_DAYS = 7


class OfferPolicy(Base):
    """An agency's offer settings: no penalty for declining unless the agency sets one."""

    __tablename__ = "offer_policy"
    __table_args__ = (
        CheckConstraint(
            f"decline_penalty_rounds >= 0 AND decline_penalty_rounds <= {MAX_PENALTY_ROUNDS}",
            name="penalty",
        ),
        CheckConstraint(
            f"default_deadline_days >= 1 AND default_deadline_days <= {MAX_DEADLINE_DAYS}",
            name="deadline",
        ),
    )

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="CASCADE"), unique=True
    )
    decline_penalty_rounds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    default_deadline_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_DEADLINE_DAYS, server_default=str(DEFAULT_DEADLINE_DAYS)
    )


async def policy_of(session: AsyncSession, agency_id: UUID) -> OfferPolicy:
    """The agency's policy, or the defaults (not stored) when it never changed them."""
    policy: OfferPolicy | None = await session.scalar(
        select(OfferPolicy).where(OfferPolicy.agency_id == agency_id)
    )
    return policy or OfferPolicy(
        agency_id=agency_id, decline_penalty_rounds=0, default_deadline_days=DEFAULT_DEADLINE_DAYS
    )


def read_policy(form: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """The typed values and translated messages per field (no message: the values are good)."""
    return whole_numbers(
        form,
        {
            "decline_penalty_rounds": (0, MAX_PENALTY_ROUNDS),
            "default_deadline_days": (1, MAX_DEADLINE_DAYS),
        },
    )


async def save_policy(
    session: AsyncSession,
    agency_id: UUID,
    *,
    decline_penalty_rounds: int,
    default_deadline_days: int,
    actor: CurrentUser,
) -> OfferPolicy:
    policy = await session.scalar(select(OfferPolicy).where(OfferPolicy.agency_id == agency_id))
    before = _values(policy) if policy else None
    if policy is None:
        policy = OfferPolicy(agency_id=agency_id)
        session.add(policy)
    policy.decline_penalty_rounds = decline_penalty_rounds
    policy.default_deadline_days = default_deadline_days
    await session.flush()
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="offer_policy.saved",
        entity="offer_policy",
        entity_id=policy.id,
        before=before,
        after=_values(policy),
    )
    await session.flush()
    return policy


def _values(policy: OfferPolicy) -> dict[str, object]:
    return {
        "agency_id": policy.agency_id,
        "decline_penalty_rounds": policy.decline_penalty_rounds,
        "default_deadline_days": policy.default_deadline_days,
    }


audit.register_entity(
    "offer_policy", fields={"agency_id", "decline_penalty_rounds", "default_deadline_days"}
)
