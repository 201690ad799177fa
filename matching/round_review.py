"""A person's review of a round's proposals: approve, reject (with a reason), override (another
household, checked against the same rules), send offers for approved pairs, close the round.

Nothing becomes an offer without a person's decision; every decision is in the audit log.
The deciding functions return the problems per form field (translated) and then store
nothing; a proposal that is no longer open raises ``ReviewClosed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.problem import Problem, decode_problem
from matching.round_scores import PairCheck, check_pair
from matching.rounds import (
    SENDABLE,
    AllocationRound,
    Decision,
    Proposal,
    RoundHousehold,
    RoundStatus,
    current_proposals,
)
from sra import audit
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.register.models import Household, HouseholdStatus, Unit, UnitStatus
from sra.settings import Settings

MAX_TEXT = 2000
CAP_RULE = "high_support_cap"  # not an eligibility rule: the building's scattered-site cap
Problems = dict[str, str]
# Why one pair breaks the rules (said to the officer who overrides a proposal).
RULE_REASONS = {
    "occupancy": lazy("the flat is the wrong size for the household"),
    "wheelchair": lazy("the flat is not wheelchair accessible"),
    "step_free": lazy("the flat is not step-free"),
    "affordability": lazy("the rent and charges are too high for the household's income"),
    "max_rent": lazy("the rent and charges are above the household's highest rent"),
    "distance": lazy("the flat is too far from the places the household chose"),
    "excluded": lazy("the household declined this flat before"),
    "not_available": lazy("the flat is not available yet on the round's date"),
    CAP_RULE: lazy("the building already has its limit of high-support households"),
}


def reasons_of(failed: list[str]) -> str:
    return "; ".join(_(RULE_REASONS[rule]) for rule in failed if rule in RULE_REASONS)


class ReviewClosed(ValueError):
    """The round or the proposal no longer takes this decision (solving, decided, closed)."""


@dataclass(frozen=True)
class SendReport:
    sent: int
    skipped: list[Proposal]  # the unit or the household is no longer free for an offer


def problem_of(round_: AllocationRound) -> Problem:
    if round_.problem is None:
        raise ReviewClosed("the round has not been solved yet")
    return decode_problem(msgspec.json.encode(round_.problem))


async def proposal_of_round(
    session: AsyncSession, round_: AllocationRound, proposal_id: UUID
) -> Proposal | None:
    found: Proposal | None = await session.scalar(
        select(Proposal).where(
            Proposal.id == proposal_id,
            Proposal.round_id == round_.id,
            Proposal.run == round_.run_number,
        )
    )
    return found


def _open(round_: AllocationRound, proposal: Proposal) -> None:
    if round_.status is not RoundStatus.PROPOSED or proposal.decision is not Decision.PENDING:
        raise ReviewClosed(f"proposal {proposal.id} is {proposal.decision.value}")


def _text_problem(text: str, required: str | None) -> str | None:
    if required and not text:
        return required
    if len(text) > MAX_TEXT:
        return _("At most {n} characters, please.").format(n=MAX_TEXT)
    return None


async def _decide(
    session: AsyncSession,
    proposal: Proposal,
    actor: CurrentUser,
    action: str,
    changes: dict[str, Any],
    noted: dict[str, Any] | None = None,
) -> None:
    """Apply a person's decision (``changes`` to the proposal) and log it, with ``noted``
    facts that are not columns (the failed rules, the offer's deadline)."""
    before = {"decision": proposal.decision, "household_id": proposal.household_id}
    for name, value in changes.items():
        setattr(proposal, name, value)
    proposal.decided_by, proposal.decided_at = actor.id, datetime.now(UTC)
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action=action,
        entity="round_proposal",
        entity_id=proposal.id,
        before=before,
        after={
            "round_id": proposal.round_id,
            "unit_id": proposal.unit_id,
            "household_id": proposal.household_id,
            **changes,
            **(noted or {}),
        },
    )
    await session.flush()


async def approve(
    session: AsyncSession, round_: AllocationRound, proposal: Proposal, actor: CurrentUser
) -> None:
    _open(round_, proposal)
    await _decide(session, proposal, actor, "proposal.approved", {"decision": Decision.APPROVED})


async def reject(
    session: AsyncSession,
    round_: AllocationRound,
    proposal: Proposal,
    reason: str,
    actor: CurrentUser,
) -> Problems:
    _open(round_, proposal)
    reason = reason.strip()
    problem = _text_problem(reason, _("Please give the reason for rejecting this proposal."))
    if problem:
        return {"reason": problem}
    changes = {"decision": Decision.REJECTED, "reason": reason}
    await _decide(session, proposal, actor, "proposal.rejected", changes)
    return {}


async def override_candidates(
    session: AsyncSession, round_: AllocationRound, proposal: Proposal
) -> list[Household]:
    """The round's households a person may choose instead: none that holds another proposal
    of this run that was not rejected (a household gets one unit)."""
    taken = {
        p.household_id
        for p in await current_proposals(session, round_)
        if p.decision is not Decision.REJECTED
    }
    taken.add(proposal.household_id)
    rows = await session.scalars(
        select(Household)
        .join(RoundHousehold, RoundHousehold.household_id == Household.id)
        .where(RoundHousehold.round_id == round_.id)
        .order_by(Household.reference)
    )
    return [h for h in rows if h.id not in taken]


async def check_override(
    session: AsyncSession, round_: AllocationRound, proposal: Proposal, household_id: UUID
) -> tuple[PairCheck, list[str]]:
    """The pair under the round's rules, plus the building's high-support cap (CAP_RULE)."""
    problem = problem_of(round_)
    check = check_pair(problem, str(household_id), str(proposal.unit_id))
    failed = list(check.failed_rules)
    if await _over_cap(session, round_, problem, proposal, household_id):
        failed.append(CAP_RULE)
    return check, failed


async def _over_cap(
    session: AsyncSession,
    round_: AllocationRound,
    problem: Problem,
    proposal: Proposal,
    household_id: UUID,
) -> bool:
    cap = problem.policy.max_high_support_per_building
    high_support = {h.id for h in problem.households if h.high_support}
    if cap is None or str(household_id) not in high_support:
        return False
    building_of = {u.id: u.building_id for u in problem.units}
    building = building_of[str(proposal.unit_id)]
    present = next((b.high_support_households for b in problem.buildings if b.id == building), 0)
    others = [
        p
        for p in await current_proposals(session, round_)
        if p.id != proposal.id
        and p.decision is not Decision.REJECTED
        and building_of.get(str(p.unit_id)) == building
        and str(p.household_id) in high_support
    ]
    return present + len(others) >= cap


async def override(
    session: AsyncSession,
    round_: AllocationRound,
    proposal: Proposal,
    *,
    household_id: UUID | None,
    justification: str,
    actor: CurrentUser,
) -> Problems:
    """Give the unit to another household of the round. An ineligible choice needs a written
    justification and is flagged."""
    _open(round_, proposal)
    justification = justification.strip()
    allowed = {h.id for h in await override_candidates(session, round_, proposal)}
    if household_id not in allowed or household_id is None:
        return {"household": _("Please choose a household from the list.")}
    check, failed = await check_override(session, round_, proposal, household_id)
    needed = _(
        "This household does not meet the rules for this flat: {why}."
        " Please write why you choose it anyway."
    ).format(why=reasons_of(failed))
    problem = _text_problem(justification, needed if failed else None)
    if problem:
        return {"justification": problem}
    parts = check.breakdown
    await _decide(
        session,
        proposal,
        actor,
        "proposal.overridden",
        {
            "decision": Decision.OVERRIDDEN,
            "original_household_id": proposal.original_household_id or proposal.household_id,
            "household_id": household_id,
            "score": parts.score,
            "urgency_term": parts.urgency_term,
            "waiting_term": parts.waiting_term,
            "km_penalty": parts.km_penalty,
            "distance_km": parts.distance_km,
            "override_justification": justification or None,
            "flagged_ineligible": bool(failed),
        },
        {"failed_rules": failed},
    )
    return {}


async def send_offers(
    session: AsyncSession,
    round_: AllocationRound,
    *,
    deadline: date,
    actor: CurrentUser,
    settings: Settings | None = None,
) -> SendReport:
    """An offer for each approved (or overridden) proposal whose unit and household are still
    free; they are told in their language by matching.offers."""
    from matching.offers import send_offer

    if round_.status is not RoundStatus.PROPOSED:
        raise ReviewClosed(f"a {round_.status.value} round sends no offers")
    sent, skipped = 0, []
    for proposal in await current_proposals(session, round_, decisions=SENDABLE):
        if not await _free(session, proposal):
            skipped.append(proposal)
            continue
        offer = await send_offer(
            session,
            unit_id=proposal.unit_id,
            household_id=proposal.household_id,
            officer=actor,
            deadline=deadline,
            round_id=round_.id,
            proposal_id=proposal.id,
            settings=settings,
        )
        await _decide(
            session,
            proposal,
            actor,
            "proposal.offered",
            {"decision": Decision.OFFERED},
            {"deadline": deadline, "offer_id": offer.id},
        )
        sent += 1
    return SendReport(sent, skipped)


async def _free(session: AsyncSession, proposal: Proposal) -> bool:
    unit_status = await session.scalar(select(Unit.status).where(Unit.id == proposal.unit_id))
    household_status = await session.scalar(
        select(Household.status).where(Household.id == proposal.household_id)
    )
    return unit_status is UnitStatus.AVAILABLE and household_status is HouseholdStatus.ACTIVE


async def close_round(session: AsyncSession, round_: AllocationRound, actor: CurrentUser) -> bool:
    """Close a round whose proposals are all offered or rejected; False while some wait."""
    if round_.status is not RoundStatus.PROPOSED:
        raise ReviewClosed(f"a {round_.status.value} round cannot be closed")
    waiting = [
        p
        for p in await current_proposals(session, round_)
        if p.decision not in (Decision.OFFERED, Decision.REJECTED)
    ]
    if waiting:
        return False
    round_.status = RoundStatus.CLOSED
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="round.closed",
        entity="allocation_round",
        entity_id=round_.id,
        before={"status": RoundStatus.PROPOSED},
        after={"status": RoundStatus.CLOSED},
    )
    await session.flush()
    return True
