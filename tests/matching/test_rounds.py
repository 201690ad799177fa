"""A round read from the database, solved by the background job, stored; a second run of the
job changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.subleases import Sublease
from matching.offers import Offer, OfferStatus
from matching.round_jobs import solve_round
from matching.round_problem import build_problem, high_support_lets
from matching.rounds import (
    SOLVE_TASK,
    AllocationRound,
    Decision,
    Outcome,
    Proposal,
    RoundHousehold,
    RoundStatus,
)
from sra.jobs import Job, JobStatus, TaskContext
from sra.register.models import SupportNeed, UnitStatus
from sra.settings import Settings
from tests.matching.round_world import (
    ROUND_DATE,
    add_other_households,
    make_round_world,
    new_round,
    run_jobs,
    solved_round,
)
from tests.sra.register.records import add_placed_unit, add_round_household


async def test_the_problem_holds_the_rounds_available_units_and_the_agencys_active_households(
    db: AsyncSession,
) -> None:
    world = await make_round_world(db)
    await add_other_households(db, world)
    world.ann.support_need = SupportNeed.INTENSIVE
    round_ = await new_round(db, world)

    problem, snapshots = await build_problem(db, round_)

    units = {u.id: u for u in problem.units}
    assert set(units) == {str(u.id) for u in world.units}
    flat_b = units[str(world.flat_b.id)]
    assert (flat_b.lat, flat_b.lon, flat_b.rent_cents, flat_b.charges_cents) == (
        50.86,
        4.35,
        50000,
        5000,
    )
    assert (flat_b.min_occupants, flat_b.max_occupants) == (1, 1)
    households = {h.id: h for h in problem.households}
    assert set(households) == {str(h.id) for h in (world.ann, world.bo, world.cy, world.di)}
    ann, bo = households[str(world.ann.id)], households[str(world.bo.id)]
    assert (ann.urgency, ann.high_support, ann.max_distance_km) == (50, True, 10.0)
    assert [(p.lat, p.lon) for p in ann.preferred_locations] == [(50.85, 4.35)]
    assert (bo.adults, bo.children, bo.high_support) == (1, 1, False)
    assert problem.policy.affordability_ratio == 0.35
    assert (problem.policy.weights.urgency, problem.policy.weights.km) == (10, 3)
    snapshot = {s.household_id: s for s in snapshots}[world.bo.id]
    assert (snapshot.size, snapshot.displaced, snapshot.ethos_group) == (2, True, "insecure")
    assert snapshot.days_waiting == 10


async def test_units_no_longer_available_and_declined_units_are_left_out(
    db: AsyncSession,
) -> None:
    world = await make_round_world(db)
    round_ = await new_round(db, world)
    world.flat_c.status = UnitStatus.WITHDRAWN
    db.add(offer(world, world.ann.id, world.flat_a.id, OfferStatus.DECLINED))
    await db.commit()

    problem, _snapshots = await build_problem(db, round_)

    assert str(world.flat_c.id) not in {u.id for u in problem.units}
    ann = next(h for h in problem.households if h.id == str(world.ann.id))
    assert ann.excluded_units == [str(world.flat_a.id)]


async def test_a_household_serving_a_decline_penalty_sits_out_the_round(db: AsyncSession) -> None:
    world = await make_round_world(db)
    declined = offer(world, world.di.id, world.flat_a.id, OfferStatus.DECLINED)
    declined.penalty_rounds = 1
    db.add(declined)
    await db.commit()
    first = await new_round(db, world)
    second = await new_round(db, world)

    sits_out, _ = await build_problem(db, first)
    back, _ = await build_problem(db, second)

    assert str(world.di.id) not in {h.id for h in sits_out.households}
    assert str(world.di.id) in {h.id for h in back.households}


async def test_buildings_count_their_lets_to_high_support_households(db: AsyncSession) -> None:
    world = await make_round_world(db)
    world.bo.support_need = SupportNeed.INTENSIVE
    let_by_offer = await add_placed_unit(db, world.landlord, "Let 1", status=UnitStatus.LET)
    let_by_lease = await add_placed_unit(db, world.landlord, "Let 2", status=UnitStatus.LET)
    light = await add_round_household(db, world.agency, "Light Example")
    db.add(offer(world, world.bo.id, let_by_offer.id, OfferStatus.ACCEPTED))
    db.add(
        Sublease(
            agency_id=world.agency.id,
            unit_id=let_by_lease.id,
            household_id=light.id,
            offer_id=uuid4(),
            rent_cents=50000,
            charges_cents=5000,
        )
    )
    await db.commit()

    counts = await high_support_lets(
        db, {let_by_offer.building_id, let_by_lease.building_id, world.flat_a.building_id}
    )

    assert counts == {
        let_by_offer.building_id: 1,
        let_by_lease.building_id: 0,
        world.flat_a.building_id: 0,
    }


def offer(world: object, household_id: object, unit_id: object, status: OfferStatus) -> Offer:
    return Offer(
        agency_id=world.agency.id,  # type: ignore[attr-defined]
        unit_id=unit_id,
        household_id=household_id,
        deadline=ROUND_DATE - timedelta(days=1),
        status=status,
        rent_cents=50000,
        charges_cents=5000,
        decline_reason="location" if status is OfferStatus.DECLINED else None,
        answered_at=datetime.now(UTC) - timedelta(days=2),
    )


async def test_the_solve_job_stores_the_proposal_the_waitlist_and_the_reasons(
    db: AsyncSession, settings: Settings
) -> None:
    world = await make_round_world(db)

    round_ = await solved_round(db, world, settings)

    assert round_.status is RoundStatus.PROPOSED
    assert (round_.progress_percent, round_.solver_status) == (100, "optimal")
    assert (round_.housed, round_.total_score) == (2, 737)
    assert (round_.waitlist_housed, round_.waitlist_score) == (2, 585)
    proposals = {
        p.unit_id: p
        for p in await db.scalars(select(Proposal).where(Proposal.round_id == round_.id))
    }
    assert set(proposals) == {world.flat_a.id, world.flat_b.id}
    to_ann = proposals[world.flat_b.id]
    assert (to_ann.household_id, to_ann.score, to_ann.decision) == (
        world.ann.id,
        527,
        Decision.PENDING,
    )
    assert (to_ann.urgency_term, to_ann.waiting_term, to_ann.km_penalty) == (500, 30, 3)
    assert to_ann.distance_km == 1.112
    to_bo = proposals[world.flat_a.id]
    assert to_bo.household_id == world.bo.id
    # Flat A's next best: Ann (530), then Di (55).
    assert [(a["household_id"], a["score"]) for a in to_bo.alternatives] == [
        (str(world.ann.id), 530),
        (str(world.di.id), 55),
    ]
    rows = {
        r.household_id: r
        for r in await db.scalars(
            select(RoundHousehold).where(RoundHousehold.round_id == round_.id)
        )
    }
    assert rows[world.ann.id].proposed_unit_id == world.flat_b.id
    assert rows[world.ann.id].waitlist_unit_id == world.flat_a.id
    assert rows[world.bo.id].waitlist_unit_id is None
    assert rows[world.di.id].waitlist_unit_id == world.flat_b.id
    cy = rows[world.cy.id]
    assert cy.outcome is Outcome.NO_ELIGIBLE_UNIT
    assert cy.rules is not None
    assert {k: v for k, v in cy.rules.items() if v} == {"occupancy": 1, "wheelchair": 3}
    di = rows[world.di.id]
    assert di.outcome is Outcome.OUTCOMPETED
    assert {(g["unit_id"], g["household_id"]) for g in di.given_to or []} == {
        (str(world.flat_a.id), str(world.bo.id)),
        (str(world.flat_b.id), str(world.ann.id)),
    }
    assert round_.result is not None
    assert round_.result["vacant"] == [
        {"unit_id": str(world.flat_c.id), "reason": "no_eligible_household"}
    ]


async def test_running_the_solve_job_again_changes_nothing(
    db: AsyncSession, settings: Settings
) -> None:
    world = await make_round_world(db)
    round_ = await solved_round(db, world, settings)
    before = await state_of(db, round_)

    await run_jobs(db, settings)  # nothing due: the job is done
    job = TaskContext(db, settings, uuid4(), 1)
    await solve_round(job, {"round_id": str(round_.id), "run": round_.run_number})
    await db.commit()

    assert await state_of(db, round_) == before
    solves = await db.execute(select(Job.status).where(Job.name == SOLVE_TASK))
    assert list(solves.scalars()) == [JobStatus.DONE.value]


async def state_of(db: AsyncSession, round_: AllocationRound) -> tuple[object, ...]:
    fresh = await db.get(AllocationRound, round_.id, populate_existing=True)
    assert fresh is not None
    proposals = await db.execute(
        select(Proposal.id, Proposal.unit_id, Proposal.household_id, Proposal.decision)
        .where(Proposal.round_id == round_.id)
        .order_by(Proposal.id)
    )
    outcomes = await db.execute(
        select(RoundHousehold.id, RoundHousehold.outcome, RoundHousehold.updated_at)
        .where(RoundHousehold.round_id == round_.id)
        .order_by(RoundHousehold.id)
    )
    return (
        fresh.status,
        fresh.solved_at,
        fresh.updated_at,
        fresh.run_number,
        list(proposals.tuples()),
        list(outcomes.tuples()),
    )


async def test_a_round_whose_flat_cannot_be_placed_fails_with_the_reason(
    db: AsyncSession, settings: Settings
) -> None:
    world = await make_round_world(db)
    round_ = await new_round(db, world)
    world.flat_b.tenant_rent_cents = None
    await db.commit()

    await run_jobs(db, settings)
    await db.refresh(round_)

    assert round_.status is RoundStatus.FAILED
    assert round_.error is not None
    assert "Flat B" in round_.error
    assert await db.scalar(select(func.count()).select_from(Proposal)) == 0
