"""A person reviews each proposal: approve, reject with a reason, or choose another household
(checked against the same rules); a re-run keeps the approved pairs; only approved pairs
become offers; every decision is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching import round_review as review
from matching.offers import Offer, OfferStatus
from matching.rounds import (
    AllocationRound,
    Decision,
    Outcome,
    Proposal,
    RoundHousehold,
    RoundStatus,
    current_proposals,
    rerun_keeping_approved,
)
from sra.audit import AuditEntry
from sra.identity.current import acting_as
from sra.register.models import Household, HouseholdStatus, Unit, UnitStatus
from sra.settings import Settings
from tests.matching.round_world import (
    ROUND_DATE,
    RoundWorld,
    make_round_world,
    run_jobs,
    solved_round,
)


async def proposal_for(db: AsyncSession, round_: AllocationRound, unit: Unit) -> Proposal:
    found = {p.unit_id: p for p in await current_proposals(db, round_)}
    return found[unit.id]


async def audit_actions(db: AsyncSession, entity_id: object) -> list[str]:
    rows = await db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.created_at)
    )
    return list(rows)


async def world_and_round(
    db: AsyncSession, settings: Settings
) -> tuple[RoundWorld, AllocationRound]:
    world = await make_round_world(db)
    return world, await solved_round(db, world, settings)


async def test_approving_records_the_decision_and_who_made_it(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_b)

    await review.approve(db, round_, proposal, acting_as(world.officer))
    await db.commit()

    assert proposal.decision is Decision.APPROVED
    assert proposal.decided_by == world.officer.id
    assert await audit_actions(db, proposal.id) == ["proposal.approved"]
    with pytest.raises(review.ReviewClosed):
        await review.approve(db, round_, proposal, acting_as(world.officer))


async def test_a_rejection_needs_a_reason_and_stores_nothing_without_one(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_a)

    problems = await review.reject(db, round_, proposal, "   ", acting_as(world.officer))

    assert set(problems) == {"reason"}
    assert proposal.decision is Decision.PENDING
    assert await audit_actions(db, proposal.id) == []
    assert (
        await review.reject(db, round_, proposal, "Bo moved away", acting_as(world.officer)) == {}
    )
    await db.commit()
    assert (proposal.decision, proposal.reason) == (Decision.REJECTED, "Bo moved away")
    assert await audit_actions(db, proposal.id) == ["proposal.rejected"]


async def test_an_ineligible_override_needs_a_justification_and_is_flagged(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_a)  # proposed to Bo
    officer = acting_as(world.officer)

    problems = await review.override(
        db, round_, proposal, household_id=world.cy.id, justification="", actor=officer
    )

    assert set(problems) == {"justification"}
    assert "not wheelchair accessible" in problems["justification"]
    assert (proposal.household_id, proposal.decision) == (world.bo.id, Decision.PENDING)
    problems = await review.override(
        db,
        round_,
        proposal,
        household_id=world.cy.id,
        justification="A ramp is being fitted next week.",
        actor=officer,
    )
    await db.commit()

    assert problems == {}
    assert proposal.decision is Decision.OVERRIDDEN
    assert (proposal.household_id, proposal.original_household_id) == (world.cy.id, world.bo.id)
    assert proposal.flagged_ineligible is True
    assert proposal.override_justification == "A ramp is being fitted next week."
    # Cy: 80 points x 10 + 3 days; no preferred place, so no distance penalty.
    assert (proposal.score, proposal.urgency_term, proposal.waiting_term) == (803, 800, 3)
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(proposal.id)))
    assert entry is not None
    assert entry.action == "proposal.overridden"
    assert entry.after is not None
    assert entry.after["failed_rules"] == ["wheelchair"]
    assert entry.after["flagged_ineligible"] is True


async def test_an_eligible_override_needs_no_justification_and_is_not_flagged(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_a)

    problems = await review.override(
        db,
        round_,
        proposal,
        household_id=world.di.id,
        justification="",
        actor=acting_as(world.officer),
    )

    assert problems == {}
    assert (proposal.household_id, proposal.flagged_ineligible, proposal.score) == (
        world.di.id,
        False,
        55,
    )


async def test_an_override_can_only_choose_a_household_without_another_proposal(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_a)
    officer = acting_as(world.officer)

    candidates = await review.override_candidates(db, round_, proposal)
    taken = await review.override(
        db, round_, proposal, household_id=world.ann.id, justification="x", actor=officer
    )

    assert {h.id for h in candidates} == {world.cy.id, world.di.id}
    assert set(taken) == {"household"}
    assert proposal.decision is Decision.PENDING


async def test_a_rerun_keeps_approved_pairs_and_leaves_out_rejected_ones(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    officer = acting_as(world.officer)
    approved = await proposal_for(db, round_, world.flat_b)  # Ann
    rejected = await proposal_for(db, round_, world.flat_a)  # Bo
    await review.approve(db, round_, approved, officer)
    await review.reject(db, round_, rejected, "Bo asked to wait", officer)
    await rerun_keeping_approved(db, round_, officer)
    await db.commit()

    await run_jobs(db, settings)
    await db.refresh(round_)

    assert (round_.status, round_.run_number) == (RoundStatus.PROPOSED, 2)
    now = {p.unit_id: p for p in await current_proposals(db, round_)}
    assert set(now) == {world.flat_a.id, world.flat_b.id}
    assert now[world.flat_b.id].id == approved.id
    assert now[world.flat_b.id].decision is Decision.APPROVED
    # Flat A cannot go to Bo again: Di (55) is the only other household that fits it.
    assert (now[world.flat_a.id].household_id, now[world.flat_a.id].decision) == (
        world.di.id,
        Decision.PENDING,
    )
    assert (round_.housed, round_.total_score) == (2, 527 + 55)
    bo = await db.scalar(
        select(RoundHousehold).where(
            RoundHousehold.round_id == round_.id, RoundHousehold.household_id == world.bo.id
        )
    )
    assert bo is not None
    assert bo.outcome is Outcome.NO_ELIGIBLE_UNIT
    assert bo.rules is not None
    assert {k: v for k, v in bo.rules.items() if v} == {"occupancy": 1, "excluded": 1}
    assert "round.rerun" in await audit_actions(db, round_.id)


async def test_offers_go_only_to_approved_proposals(db: AsyncSession, settings: Settings) -> None:
    world, round_ = await world_and_round(db, settings)
    officer = acting_as(world.officer)
    approved = await proposal_for(db, round_, world.flat_b)
    pending = await proposal_for(db, round_, world.flat_a)
    await review.approve(db, round_, approved, officer)

    report = await review.send_offers(
        db, round_, deadline=ROUND_DATE + timedelta(days=7), actor=officer, settings=settings
    )
    await db.commit()

    assert report.sent == 1
    offers = list(await db.scalars(select(Offer)))
    assert [(o.unit_id, o.household_id, o.status) for o in offers] == [
        (world.flat_b.id, world.ann.id, OfferStatus.SENT)
    ]
    assert (offers[0].round_id, offers[0].proposal_id) == (round_.id, approved.id)
    assert offers[0].deadline == ROUND_DATE + timedelta(days=7)
    assert approved.decision is Decision.OFFERED
    assert pending.decision is Decision.PENDING
    assert (
        await db.scalar(select(Unit.status).where(Unit.id == world.flat_b.id)) is UnitStatus.OFFERED
    )
    assert (
        await db.scalar(select(Household.status).where(Household.id == world.ann.id))
        is HouseholdStatus.OFFERED
    )
    assert (
        await db.scalar(select(Unit.status).where(Unit.id == world.flat_a.id))
        is UnitStatus.AVAILABLE
    )
    assert await audit_actions(db, approved.id) == ["proposal.approved", "proposal.offered"]


async def test_a_round_closes_only_when_every_proposal_is_offered_or_rejected(
    db: AsyncSession, settings: Settings
) -> None:
    world, round_ = await world_and_round(db, settings)
    officer = acting_as(world.officer)

    assert await review.close_round(db, round_, officer) is False
    await review.approve(db, round_, await proposal_for(db, round_, world.flat_b), officer)
    await review.reject(db, round_, await proposal_for(db, round_, world.flat_a), "No", officer)
    await review.send_offers(
        db, round_, deadline=ROUND_DATE + timedelta(days=3), actor=officer, settings=settings
    )

    assert await review.close_round(db, round_, officer) is True
    assert round_.status is RoundStatus.CLOSED


async def test_an_erasure_clears_what_rounds_kept_about_the_household(
    db: AsyncSession, settings: Settings
) -> None:
    from sra.households.personal_data import ERASERS, EXPORTERS

    world, round_ = await world_and_round(db, settings)
    proposal = await proposal_for(db, round_, world.flat_a)
    await review.reject(
        db, round_, proposal, "Bo told us about a hospital stay", acting_as(world.officer)
    )
    await db.commit()

    exported = await EXPORTERS["allocation_rounds"](db, world.bo)
    await ERASERS["allocation_rounds"](db, world.bo)
    await db.commit()

    assert [(e["round"], e["outcome"]) for e in exported] == [("Test round", "proposed")]
    await db.refresh(proposal)
    assert proposal.reason is None
    row = await db.scalar(select(RoundHousehold).where(RoundHousehold.household_id == world.bo.id))
    assert row is not None
    await db.refresh(row)
    assert (row.displaced, row.ethos_group) == (False, None)
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(proposal.id)))
    assert entry is not None
    assert entry.after is not None
    assert entry.after["reason"].startswith("erased-")
