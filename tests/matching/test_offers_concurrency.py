"""Concurrent answers: two clicks racing for one offer let the unit once.

PostgreSQL runs the race for real: two sessions, each in its own transaction, both read the
offer as sent before either answers (a barrier), then both answer at once. SQLite cannot run two
writers at once, so there the same clicks come one after the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.subleases import Sublease
from matching import offers
from matching.offer_expiry import expire
from matching.offers import Offer, OfferClosed, OfferStatus
from sra.db import make_sessionmaker
from sra.identity.current import acting_as
from sra.identity.models import User
from tests import races
from tests.matching.offer_world import lets_of, make_offer_world, sent_offer, statuses

Answer = Callable[[AsyncSession, Offer], Awaitable[object]]


async def race(engine: AsyncEngine, offer_id: UUID, first: Answer, second: Answer) -> list[object]:
    """Both answers at once, each having read the offer as sent."""

    async def read(session: AsyncSession) -> Offer:
        offer = await session.get_one(Offer, offer_id)
        assert offer.status is OfferStatus.SENT
        return offer

    return await races.race(engine, read, first, second, refused=OfferClosed)


def accepting(user: User) -> Answer:
    actor = acting_as(user)

    async def answer(session: AsyncSession, offer: Offer) -> object:
        return await offers.accept(session, offer, actor=actor)

    return answer


async def expiring(session: AsyncSession, offer: Offer) -> object:
    return await expire(session, offer)


async def test_two_accepts_racing_for_one_offer_let_the_unit_once(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)

    results = await race(
        engine, offer.id, accepting(world.household_user), accepting(world.household_user)
    )

    assert sorted(results, key=str) == [False, True]
    assert await lets_of(db, world.unit) == 1
    assert await db.scalar(select(func.count()).select_from(Sublease)) == 1
    assert await statuses(db, world.unit, world.household) == ("let", "housed")


async def test_an_accept_racing_the_expiry_job_wins_or_loses_whole(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)

    results = await race(engine, offer.id, accepting(world.household_user), expiring)

    accepted, expired = results
    if accepted is True:
        assert expired is False
    else:
        assert isinstance(accepted, OfferClosed)
        assert expired is True
    final = await db.scalar(
        select(Offer.status).where(Offer.id == offer.id).execution_options(populate_existing=True)
    )
    if final is OfferStatus.ACCEPTED:
        assert await statuses(db, world.unit, world.household) == ("let", "housed")
        assert await lets_of(db, world.unit) == 1
    else:
        assert final is OfferStatus.EXPIRED
        assert await statuses(db, world.unit, world.household) == ("available", "active")
        assert await lets_of(db, world.unit) == 0


async def test_a_double_submitted_accept_lets_the_unit_once(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    maker = make_sessionmaker(engine)

    outcomes = []
    for _click in range(2):
        async with maker() as session:
            mine = await session.get_one(Offer, offer.id)
            outcomes.append(
                await offers.accept(session, mine, actor=acting_as(world.household_user))
            )
            await session.commit()

    assert outcomes == [True, False]
    assert await lets_of(db, world.unit) == 1
    assert await db.scalar(select(func.count()).select_from(Sublease)) == 1


async def test_an_expired_offer_is_not_accepted_by_a_late_click(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world, days=1)
    assert await expire(db, offer)
    await db.commit()

    with pytest.raises(OfferClosed):
        await offers.accept(db, offer, actor=None, today=date.today() - timedelta(days=1))
    await db.rollback()

    assert await statuses(db, world.unit, world.household) == ("available", "active")
