"""A demo allocation round, run the way the staff pages run it: the officer creates the round,
the job runner solves it, the officer approves three proposals and sends the offers; one
household accepts (the flat is let and a draft sublease is made), one declines, one has not
answered yet. Runs after the demo register is committed, because the solve job commits on its
own, as it does behind the pages.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from matching.offers import DeclineReason, Offer, accept, decline
from matching.round_review import approve, send_offers
from matching.rounds import (
    AllocationRound,
    Proposal,
    RoundMode,
    RoundPolicy,
    create_round,
    current_proposals,
)
from sra.identity.current import CurrentUser, acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.jobs.runner import run_due_jobs
from sra.register.models import Agency, Building, Household, Landlord, Unit, UnitStatus
from sra.settings import Settings
from sra_app.jobs_cli import load_task_modules

ROUND_NAME = "December round (demo)"
POLICY = RoundPolicy(
    mode=RoundMode.MAX_HOUSED,
    weight_urgency=10,
    weight_waiting_day=1,
    weight_km=3,
    affordability_ratio="0.4",
    max_high_support_per_building=1,
)
OFFERS = 3  # approved and sent; the first is accepted, the second declined


async def add_demo_round(maker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    async with maker() as session, session.begin():
        officer, agency_id = await _officer(session)
        units = await session.scalars(
            select(Unit.id)
            .join(Building, Building.id == Unit.building_id)
            .join(Landlord, Landlord.id == Building.landlord_id)
            .where(Landlord.agency_id == agency_id, Unit.status == UnitStatus.AVAILABLE)
            .where(Building.lat.is_not(None), Unit.tenant_rent_cents.is_not(None))
        )
        round_ = await create_round(
            session,
            agency_id=agency_id,
            name=ROUND_NAME,
            round_date=date.today(),
            unit_ids=list(units),
            policy=POLICY,
            actor=officer,
        )
        round_id = round_.id
    load_task_modules()
    await run_due_jobs(maker, settings)  # the solve job, as the worker would run it
    async with maker() as session, session.begin():
        officer, _ = await _officer(session)
        solved = await session.get(AllocationRound, round_id)
        assert solved is not None
        for proposal in (await current_proposals(session, solved))[:OFFERS]:
            await approve(session, solved, proposal, officer)
        await send_offers(session, solved, deadline=date.today() + timedelta(days=7), actor=officer)
    async with maker() as session, session.begin():
        offers = list(
            await session.scalars(
                select(Offer)
                .join(Proposal, Proposal.id == Offer.proposal_id)
                .where(Offer.round_id == round_id)
                .order_by(Proposal.score.desc(), Proposal.unit_id)
            )
        )
        if offers:
            await accept(session, offers[0], actor=await _household_actor(session, offers[0]))
        if len(offers) > 1:
            await decline(
                session,
                offers[1],
                reason=DeclineReason.LOCATION,
                note="Too far from the children's school.",
                actor=await _household_actor(session, offers[1]),
            )


async def _officer(session: AsyncSession) -> tuple[CurrentUser, UUID]:
    agency = (await session.scalars(select(Agency).order_by(Agency.created_at))).first()
    assert agency is not None
    user = await session.scalar(
        select(User).where(User.agency_id == agency.id, User.role == Role.ALLOCATION_OFFICER)
    )
    assert user is not None
    return acting_as(user), agency.id


async def _household_actor(session: AsyncSession, offer: Offer) -> CurrentUser | None:
    household = await session.get(Household, offer.household_id)
    user = await session.get(User, household.user_id) if household and household.user_id else None
    return acting_as(user) if user is not None else None
