"""Allocation rounds: the tables, and the services that create, list and re-run a round.

A round is a set of available units on a date, the agency's active households and the policy
the officer chose (DOMAIN.md). The solve runs as a background job (matching.round_jobs); it
snapshots the problem it solved into ``AllocationRound.problem`` on the first run, so every
explanation, override check and re-run of the round reads the same facts. People decide on
the proposals (matching.round_review); nothing is offered without that decision.

Services flush and never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.identity.current import CurrentUser
from sra.jobs import enqueue

SOLVE_TASK = "matching.solve_round"


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class RoundStatus(StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    RUNNING = "running"
    PROPOSED = "proposed"
    CLOSED = "closed"
    FAILED = "failed"


DEFAULT_SEARCH_MINUTES = 2
MAX_SEARCH_MINUTES = 60


class RoundMode(StrEnum):
    MAX_HOUSED = "max_housed"
    STRICT_PRIORITY = "strict_priority"


class Outcome(StrEnum):
    PROPOSED = "proposed"
    OUTCOMPETED = "outcompeted"
    NO_ELIGIBLE_UNIT = "no_eligible_unit"


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    OVERRIDDEN = "overridden"
    OFFERED = "offered"


# A person chose these pairs: a re-run keeps them, and only they may become offers.
FIXED = frozenset({Decision.APPROVED, Decision.OVERRIDDEN, Decision.OFFERED})
SENDABLE = frozenset({Decision.APPROVED, Decision.OVERRIDDEN})
WORKING = frozenset({RoundStatus.QUEUED, RoundStatus.RUNNING})


class AllocationRound(Base):
    __tablename__ = "allocation_round"
    __table_args__ = (
        CheckConstraint(
            "weight_urgency BETWEEN 0 AND 1000 AND weight_waiting_day BETWEEN 0 AND 1000"
            " AND weight_km BETWEEN 0 AND 1000",
            name="weights",
        ),
        CheckConstraint(
            "max_high_support_per_building IS NULL"
            " OR max_high_support_per_building BETWEEN 0 AND 1000",
            name="cap",
        ),
        CheckConstraint(f"search_minutes BETWEEN 1 AND {MAX_SEARCH_MINUTES}", name="search"),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress"),
        CheckConstraint("run_number >= 1", name="run_number"),
    )

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    round_date: Mapped[date] = mapped_column(Date)
    status: Mapped[RoundStatus] = mapped_column(
        _enum(RoundStatus, "round_status"), default=RoundStatus.DRAFT
    )
    mode: Mapped[RoundMode] = mapped_column(_enum(RoundMode, "round_mode"))
    weight_urgency: Mapped[int] = mapped_column(Integer)
    weight_waiting_day: Mapped[int] = mapped_column(Integer)
    weight_km: Mapped[int] = mapped_column(Integer)
    # Exact decimal text ("0.35"): the contract compares with Decimal(str(ratio)).
    affordability_ratio: Mapped[str | None] = mapped_column(String(12))
    max_high_support_per_building: Mapped[int | None] = mapped_column(Integer)
    # How long the capped search may look for the proven best before it settles for a good
    # proposal ("feasible"); without a cap the solve is exact and takes seconds.
    search_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_SEARCH_MINUTES)
    # Each solve of the round (the first, then every re-run) has its number; jobs carry it.
    run_number: Mapped[int] = mapped_column(Integer, default=1)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    solver_status: Mapped[str | None] = mapped_column(String(20))
    housed: Mapped[int | None] = mapped_column(Integer)
    total_score: Mapped[int | None] = mapped_column(BigInteger)
    waitlist_housed: Mapped[int | None] = mapped_column(Integer)
    waitlist_score: Mapped[int | None] = mapped_column(BigInteger)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    created_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    solved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    error: Mapped[str | None] = mapped_column(String(500))

    @property
    def working(self) -> bool:
        return self.status in WORKING


class RoundUnit(Base):
    __tablename__ = "round_unit"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    round_id: Mapped[UUID] = mapped_column(
        ForeignKey("allocation_round.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)


class RoundHousehold(Base):
    """A household as the round saw it (a snapshot), and what the round made of it."""

    __tablename__ = "round_household"
    __table_args__ = (UniqueConstraint("round_id", "household_id"),)

    round_id: Mapped[UUID] = mapped_column(
        ForeignKey("allocation_round.id", ondelete="CASCADE"), index=True
    )
    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    urgency: Mapped[int] = mapped_column(Integer)
    high_support: Mapped[bool] = mapped_column(Boolean, default=False)
    days_waiting: Mapped[int] = mapped_column(Integer)
    # For the fairness report, as the facts stood on the round's date.
    size: Mapped[int] = mapped_column(Integer)
    disability_need: Mapped[bool] = mapped_column(Boolean, default=False)
    displaced: Mapped[bool] = mapped_column(Boolean, default=False)
    ethos_group: Mapped[str | None] = mapped_column(String(20))
    # None until the round is solved.
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "round_outcome"))
    rules: Mapped[dict[str, int] | None] = mapped_column(JsonB)  # rule -> units failing it
    given_to: Mapped[list[dict[str, str | None]] | None] = mapped_column(JsonB)
    proposed_unit_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL")
    )
    waitlist_unit_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL")
    )


class Proposal(Base):
    """One unit proposed to one household by a run of the round, and the person's decision."""

    __tablename__ = "round_proposal"
    __table_args__ = (UniqueConstraint("round_id", "run", "unit_id"),)

    round_id: Mapped[UUID] = mapped_column(
        ForeignKey("allocation_round.id", ondelete="CASCADE"), index=True
    )
    run: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    # Set by an override: the household the solver had proposed.
    original_household_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("household.id", ondelete="SET NULL")
    )
    score: Mapped[int] = mapped_column(BigInteger)
    urgency_term: Mapped[int] = mapped_column(BigInteger)
    waiting_term: Mapped[int] = mapped_column(BigInteger)
    km_penalty: Mapped[int] = mapped_column(BigInteger)
    distance_km: Mapped[float] = mapped_column(Float)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    decision: Mapped[Decision] = mapped_column(
        _enum(Decision, "proposal_decision"), default=Decision.PENDING
    )
    reason: Mapped[str | None] = mapped_column(Text)
    override_justification: Mapped[str | None] = mapped_column(Text)
    flagged_ineligible: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


audit.register_entity(
    "allocation_round",
    fields={"agency_id", "name", "round_date", "status", "mode", "weight_urgency"}
    | {"weight_waiting_day", "weight_km", "affordability_ratio", "max_high_support_per_building"}
    | {"run_number", "units", "fixed_pairs", "housed", "total_score", "solver_status"}
    | {"search_minutes"},
)
audit.register_entity(
    "round_proposal",
    fields={"round_id", "unit_id", "household_id", "original_household_id", "decision"}
    | {"reason", "override_justification", "flagged_ineligible", "failed_rules", "deadline"}
    | {"score", "distance_km", "offer_id"},
    personal={"reason", "override_justification"},
)


# ---- services -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundPolicy:
    mode: RoundMode
    weight_urgency: int
    weight_waiting_day: int
    weight_km: int
    affordability_ratio: str | None  # exact decimal text, 0 < r <= 1
    max_high_support_per_building: int | None
    search_minutes: int = DEFAULT_SEARCH_MINUTES


def _snapshot(round_: AllocationRound) -> dict[str, Any]:
    return {
        "agency_id": round_.agency_id,
        "name": round_.name,
        "round_date": round_.round_date,
        "status": round_.status,
        "mode": round_.mode,
        "weight_urgency": round_.weight_urgency,
        "weight_waiting_day": round_.weight_waiting_day,
        "weight_km": round_.weight_km,
        "affordability_ratio": round_.affordability_ratio,
        "max_high_support_per_building": round_.max_high_support_per_building,
        "search_minutes": round_.search_minutes,
        "run_number": round_.run_number,
    }


async def create_round(
    session: AsyncSession,
    *,
    agency_id: UUID,
    name: str,
    round_date: date,
    unit_ids: list[UUID],
    policy: RoundPolicy,
    actor: CurrentUser,
) -> AllocationRound:
    """Store the round with its units and queue its solve. The caller has checked the input
    (matching.round_form): the units are the agency's available ones."""
    round_ = AllocationRound(
        agency_id=agency_id,
        name=name,
        round_date=round_date,
        status=RoundStatus.QUEUED,
        mode=policy.mode,
        weight_urgency=policy.weight_urgency,
        weight_waiting_day=policy.weight_waiting_day,
        weight_km=policy.weight_km,
        affordability_ratio=policy.affordability_ratio,
        max_high_support_per_building=policy.max_high_support_per_building,
        search_minutes=policy.search_minutes,
        run_number=1,
        progress_percent=0,
        created_by=actor.id,
    )
    session.add(round_)
    await session.flush()
    session.add_all(RoundUnit(round_id=round_.id, unit_id=unit_id) for unit_id in unit_ids)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="round.created",
        entity="allocation_round",
        entity_id=round_.id,
        after={**_snapshot(round_), "units": [str(u) for u in unit_ids]},
    )
    await _enqueue_solve(session, round_)
    await session.flush()
    return round_


async def _enqueue_solve(session: AsyncSession, round_: AllocationRound) -> None:
    await enqueue(
        session,
        SOLVE_TASK,
        {"round_id": str(round_.id), "run": round_.run_number},
        unique_key=f"round-solve:{round_.id}:{round_.run_number}",
    )


class RoundNotReady(ValueError):
    """The round is not in a state that allows this (still solving, or closed)."""


async def rerun_keeping_approved(
    session: AsyncSession,
    round_: AllocationRound,
    actor: CurrentUser,
    *,
    search_minutes: int | None = None,
) -> None:
    """Queue a new solve of the round; the job keeps the pairs people approved or chose.
    ``search_minutes`` gives the capped search a new time limit (the round's own otherwise)."""
    if round_.status not in (RoundStatus.PROPOSED, RoundStatus.FAILED):
        raise RoundNotReady(f"a {round_.status.value} round cannot be run again")
    fixed = await current_proposals(session, round_, decisions=FIXED)
    before = _snapshot(round_)
    if search_minutes is not None:
        round_.search_minutes = search_minutes
    round_.run_number += 1
    round_.status = RoundStatus.QUEUED
    round_.progress_percent = 0
    round_.error = None
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="round.rerun",
        entity="allocation_round",
        entity_id=round_.id,
        before=before,
        after={
            **_snapshot(round_),
            "fixed_pairs": [[str(p.household_id), str(p.unit_id)] for p in fixed],
        },
    )
    await _enqueue_solve(session, round_)
    await session.flush()


async def rounds_of_agency(session: AsyncSession, agency_id: UUID | None) -> list[AllocationRound]:
    rows = await session.scalars(
        select(AllocationRound)
        .where(AllocationRound.agency_id == agency_id)
        .order_by(AllocationRound.round_date.desc(), AllocationRound.created_at.desc())
    )
    return list(rows)


async def round_of_agency(
    session: AsyncSession, agency_id: UUID | None, round_id: UUID
) -> AllocationRound | None:
    found: AllocationRound | None = await session.scalar(
        select(AllocationRound).where(
            AllocationRound.id == round_id, AllocationRound.agency_id == agency_id
        )
    )
    return found


async def current_proposals(
    session: AsyncSession,
    round_: AllocationRound,
    *,
    decisions: frozenset[Decision] | None = None,
) -> list[Proposal]:
    """The proposals of the round's latest run (kept pairs are carried into each new run)."""
    query = select(Proposal).where(
        Proposal.round_id == round_.id, Proposal.run == round_.run_number
    )
    if decisions is not None:
        query = query.where(Proposal.decision.in_(decisions))
    # Best score first, the same order on every page and database (the unit breaks ties).
    return list(await session.scalars(query.order_by(Proposal.score.desc(), Proposal.unit_id)))


async def round_households(session: AsyncSession, round_id: UUID) -> list[RoundHousehold]:
    rows = await session.scalars(select(RoundHousehold).where(RoundHousehold.round_id == round_id))
    return list(rows)


async def round_unit_ids(session: AsyncSession, round_id: UUID) -> list[UUID]:
    rows = await session.scalars(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_id))
    return list(rows)
