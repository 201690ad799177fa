"""After a decline, an expiry or a withdrawal: the next best household, or the next round.

The candidates are the round's next best households for the unit (the proposal's
alternatives), kept only while they are still eligible today: active, not sitting out a
decline penalty, not waiting on another proposal of the round, and passing every rule of
matching.eligibility on their current facts (matching.round_problem reads those). They are
listed best current score first; a person picks one, and only then is the offer sent.
Each closed offer is followed up once: a conditional UPDATE on ``follow_up IS NULL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offers import FollowUp, Offer, OfferError, OfferStatus, record, send_offer
from matching.problem import Problem
from matching.round_problem import RoundDataError, build_problem
from matching.round_scores import Breakdown, check_pair
from matching.rounds import AllocationRound, Decision, Proposal, current_proposals
from sra.identity.current import CurrentUser
from sra.register.models import Household
from sra.settings import Settings

CLOSED = (OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN)
# Households whose proposal in the round is still being decided or sent are not free.
BUSY = frozenset({Decision.PENDING, Decision.APPROVED, Decision.OVERRIDDEN})


class AlreadyFollowedUp(OfferError):
    """Someone chose what happens next already (another tab, another officer)."""


@dataclass(frozen=True)
class Candidate:
    household: Household
    breakdown: Breakdown


async def candidates(session: AsyncSession, offer: Offer) -> list[Candidate]:
    """Who may get the unit next, best current score first (empty without a round)."""
    if not offer.awaits_follow_up or offer.round_id is None or offer.proposal_id is None:
        return []
    round_ = await session.get(AllocationRound, offer.round_id)
    proposal = await session.get(Proposal, offer.proposal_id)
    if round_ is None or proposal is None or round_.agency_id != offer.agency_id:
        return []
    listed = [_household_id(alt) for alt in proposal.alternatives or []]
    busy = {p.household_id for p in await current_proposals(session, round_, decisions=BUSY)}
    wanted = [h for h in dict.fromkeys(listed) if h is not None and h not in busy]
    if not wanted:
        return []
    try:
        problem, _snapshots = await build_problem(session, round_)
    except RoundDataError:
        return []
    eligible = _eligible(problem, str(offer.unit_id), wanted)
    found: list[Candidate] = []
    for household_id, breakdown in eligible:
        household = await session.get(Household, household_id)
        if household is not None and household.agency_id == offer.agency_id:
            found.append(Candidate(household, breakdown))
    return found


def _household_id(alternative: object) -> UUID | None:
    value = alternative.get("household_id") if isinstance(alternative, dict) else None
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def _eligible(problem: Problem, unit_id: str, wanted: list[UUID]) -> list[tuple[UUID, Breakdown]]:
    """The wanted households that may take the unit now, best score first (ties: the round's
    own order). Households not in the problem are no longer active or sit out a penalty."""
    in_problem = {h.id for h in problem.households}
    if unit_id not in {u.id for u in problem.units}:
        return []
    checked = [
        (household_id, check_pair(problem, str(household_id), unit_id))
        for household_id in wanted
        if str(household_id) in in_problem
    ]
    kept = [(h, check.breakdown) for h, check in checked if check.eligible]
    return sorted(kept, key=lambda pair: -pair[1].score)


async def candidate(session: AsyncSession, offer: Offer, household_text: str) -> Candidate | None:
    """The candidate the officer picked in the form, if it is one of the list."""
    for found in await candidates(session, offer):
        if str(found.household.id) == household_text:
            return found
    return None


async def _follow_up(
    session: AsyncSession, offer: Offer, choice: FollowUp, officer: CurrentUser
) -> None:
    result = await session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status.in_(CLOSED), Offer.follow_up.is_(None))
        .values(follow_up=choice, follow_up_by=officer.id, follow_up_at=datetime.now(UTC))
        .execution_options(synchronize_session="fetch")
    )
    await session.refresh(offer)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyFollowedUp(f"offer {offer.id} was followed up already")


async def offer_to_next(
    session: AsyncSession,
    offer: Offer,
    *,
    household_id: UUID,
    deadline: date,
    officer: CurrentUser,
    settings: Settings | None = None,
) -> Offer:
    """Send the unit to the household the officer picked; the closed offer points to it."""
    await _follow_up(session, offer, FollowUp.NEXT_HOUSEHOLD, officer)
    new = await send_offer(
        session,
        unit_id=offer.unit_id,
        household_id=household_id,
        officer=officer,
        deadline=deadline,
        round_id=offer.round_id,
        proposal_id=offer.proposal_id,
        settings=settings,
    )
    offer.next_offer_id = new.id
    await session.flush()
    await record(session, offer, "offer.followed_up", officer)
    await session.flush()
    return new


async def leave_for_next_round(
    session: AsyncSession, offer: Offer, *, officer: CurrentUser
) -> None:
    """The unit stays available and waits for the agency's next round."""
    await _follow_up(session, offer, FollowUp.NEXT_ROUND, officer)
    await record(session, offer, "offer.followed_up", officer)
    await session.flush()
