"""The background solve of a round: build (first run) -> solve -> waitlist -> store.

The job carries the round's run number and does nothing unless the round is still working on
that run, so running it again (a retry, a second worker, a click that queued it twice) changes
nothing once the run is stored. Progress goes into ``progress_percent`` in short transactions
of its own while the solver works in a thread; the result rows are written in the job's own
transaction, which commits with the job.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from matching.problem import Problem, Result, decode_problem
from matching.round_problem import RoundDataError, build_problem
from matching.round_scores import Alternative, alternatives, breakdown, reduce_problem
from matching.rounds import (
    FIXED,
    SOLVE_TASK,
    WORKING,
    AllocationRound,
    Decision,
    Outcome,
    Proposal,
    RoundHousehold,
    RoundStatus,
)
from matching.solver import solve
from matching.waitlist import Waitlist, waitlist
from sra.jobs import TaskContext, task
from sra.jobs.runner import one_line

log = logging.getLogger("sra.jobs")

POLL_SECONDS = 0.5
STAGES = {"checking eligibility": 20, "assigning": 35, "explaining": 75}

Pair = tuple[str, str]
Maker = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Started:
    problem: Problem  # the round's whole problem, as first built
    fixed: dict[Pair, int]  # pairs people chose -> their score
    rejected: list[Pair]
    time_limit: float  # seconds the capped search may take before it reports "feasible"


@dataclass(frozen=True)
class Solved:
    result: Result
    waitlist: Waitlist
    alternatives: dict[str, list[Alternative]]


@task(SOLVE_TASK, max_attempts=3)
async def solve_round(ctx: TaskContext, payload: dict[str, Any]) -> None:
    round_id, run = UUID(str(payload["round_id"])), int(payload["run"])
    bind = ctx.session.bind
    assert isinstance(bind, AsyncEngine)
    maker = async_sessionmaker(bind, expire_on_commit=False)
    started = await _start(maker, round_id, run)
    if started is None:
        return
    reduced = reduce_problem(started.problem, started.fixed, started.rejected)
    try:
        solved = await _solve(maker, round_id, run, reduced, started.time_limit)
    except Exception as exc:  # a solver failure will not heal on retry: tell the officer
        log.exception("round %s run %d: solve failed", round_id, run)
        await _fail(maker, round_id, run, one_line(exc))
        return
    await _store(ctx.session, round_id, run, reduced, started, solved)


async def _start(maker: Maker, round_id: UUID, run: int) -> Started | None:
    async with maker() as session, session.begin():
        round_ = await session.get(AllocationRound, round_id)
        if round_ is None or round_.run_number != run or round_.status not in WORKING:
            return None
        round_.status = RoundStatus.RUNNING
        round_.progress_percent = 5
        if round_.problem is None:
            try:
                problem, snapshots = await build_problem(session, round_)
            except RoundDataError as exc:
                round_.status, round_.error = RoundStatus.FAILED, str(exc)[:500]
                return None
            round_.problem = msgspec.to_builtins(problem)
            session.add_all(
                RoundHousehold(round_id=round_.id, **asdict(snapshot)) for snapshot in snapshots
            )
        round_.progress_percent = 10
        decided = await session.scalars(
            select(Proposal).where(
                Proposal.round_id == round_id,
                Proposal.decision.in_(FIXED | {Decision.REJECTED}),
            )
        )
        fixed: dict[Pair, int] = {}
        rejected: list[Pair] = []
        for proposal in decided:
            pair = (str(proposal.household_id), str(proposal.unit_id))
            if proposal.decision is Decision.REJECTED:
                rejected.append(pair)
            else:
                fixed[pair] = proposal.score
        problem = decode_problem(msgspec.json.encode(round_.problem))
        return Started(problem, fixed, rejected, time_limit=60.0 * round_.search_minutes)


async def _set_progress(maker: Maker, round_id: UUID, run: int, percent: int) -> None:
    async with maker() as session, session.begin():
        await session.execute(
            update(AllocationRound)
            .where(AllocationRound.id == round_id, AllocationRound.run_number == run)
            .values(progress_percent=percent)
        )


async def _solve(
    maker: Maker, round_id: UUID, run: int, problem: Problem, time_limit: float
) -> Solved:
    """The solver in a thread (the web app keeps serving), its stages written as progress."""
    reached = [10]

    def on_stage(stage: str) -> None:
        reached[0] = max(reached[0], STAGES.get(stage, reached[0]))

    work = asyncio.ensure_future(asyncio.to_thread(solve, problem, time_limit, on_stage))
    written = reached[0]
    while True:
        done, _pending = await asyncio.wait({work}, timeout=POLL_SECONDS)
        if reached[0] != written:
            written = reached[0]
            await _set_progress(maker, round_id, run, written)
        if done:
            break
    result = work.result()
    await _set_progress(maker, round_id, run, 85)
    greedy = await asyncio.to_thread(waitlist, problem)
    assigned = {a.unit_id: a.household_id for a in result.assignments}
    others = await asyncio.to_thread(alternatives, problem, assigned)
    await _set_progress(maker, round_id, run, 95)
    return Solved(result, greedy, others)


async def _fail(maker: Maker, round_id: UUID, run: int, error: str) -> None:
    async with maker() as session, session.begin():
        await session.execute(
            update(AllocationRound)
            .where(AllocationRound.id == round_id, AllocationRound.run_number == run)
            .values(status=RoundStatus.FAILED, error=error)
        )


async def _store(
    session: AsyncSession,
    round_id: UUID,
    run: int,
    reduced: Problem,
    started: Started,
    solved: Solved,
) -> None:
    round_ = await session.get(AllocationRound, round_id, populate_existing=True)
    if round_ is None or round_.run_number != run or round_.status is not RoundStatus.RUNNING:
        return
    result = solved.result
    await session.execute(
        delete(Proposal).where(Proposal.round_id == round_id, Proposal.decision == Decision.PENDING)
    )
    await session.execute(
        update(Proposal)
        .where(Proposal.round_id == round_id, Proposal.decision.in_(FIXED))
        .values(run=run)
    )
    for a in result.assignments:
        parts = breakdown(reduced, a.household_id, a.score, a.distance_km)
        session.add(
            Proposal(
                round_id=round_id,
                run=run,
                unit_id=UUID(a.unit_id),
                household_id=UUID(a.household_id),
                score=a.score,
                urgency_term=parts.urgency_term,
                waiting_term=parts.waiting_term,
                km_penalty=parts.km_penalty,
                distance_km=a.distance_km,
                alternatives=msgspec.to_builtins(solved.alternatives.get(a.unit_id, [])),
                decision=Decision.PENDING,
            )
        )
    await _store_outcomes(session, round_id, started, solved)
    fixed_score = sum(started.fixed.values())
    round_.status = RoundStatus.PROPOSED
    round_.progress_percent = 100
    round_.solver_status = result.status
    round_.housed = result.housed + len(started.fixed)
    round_.total_score = result.total_score + fixed_score
    round_.waitlist_housed = solved.waitlist.housed + len(started.fixed)
    round_.waitlist_score = solved.waitlist.total_score + fixed_score
    round_.result = msgspec.to_builtins(result)
    round_.solved_at = datetime.now(UTC)
    round_.error = None
    await session.flush()


async def _store_outcomes(
    session: AsyncSession, round_id: UUID, started: Started, solved: Solved
) -> None:
    """Each household's outcome in this run; households of kept pairs are housed by both."""
    proposed = {a.household_id: a.unit_id for a in solved.result.assignments}
    by_waitlist = {a.household_id: a.unit_id for a in solved.waitlist.assignments}
    for household_id, unit_id in started.fixed:
        proposed[household_id] = by_waitlist[household_id] = unit_id
    left_out = {u.household_id: u for u in solved.result.unassigned}
    rows = await session.scalars(select(RoundHousehold).where(RoundHousehold.round_id == round_id))
    for row in rows:
        key = str(row.household_id)
        unit = proposed.get(key)
        row.proposed_unit_id = UUID(unit) if unit else None
        row.waitlist_unit_id = UUID(by_waitlist[key]) if key in by_waitlist else None
        why = left_out.get(key)
        row.outcome = Outcome.PROPOSED if unit else Outcome(why.reason) if why else None
        row.rules = msgspec.to_builtins(why.rules) if why and why.rules and not unit else None
        row.given_to = (
            msgspec.to_builtins(why.given_to) if why and why.given_to and not unit else None
        )
