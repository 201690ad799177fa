"""The demo round after `seed-demo`: solved by the job runner, reviewed, offers answered."""

from __future__ import annotations

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.subleases import Sublease
from matching.offers import Offer, OfferStatus
from matching.rounds import AllocationRound, RoundStatus
from sra.register.models import Household, HouseholdStatus, Unit, UnitStatus
from sra.settings import Settings
from sra_app.demo_cli import seed
from sra_app.demo_rounds import OFFERS, ROUND_NAME


async def test_the_demo_round_is_solved_reviewed_and_its_offers_answered(
    settings: Settings, db: AsyncSession
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)

    round_ = await db.scalar(select(AllocationRound).where(AllocationRound.name == ROUND_NAME))
    assert round_ is not None
    assert round_.status is RoundStatus.PROPOSED
    assert round_.housed is not None
    assert round_.housed >= OFFERS
    assert round_.waitlist_housed is not None
    offers = list(
        await db.scalars(
            select(Offer).where(Offer.round_id == round_.id).order_by(Offer.created_at)
        )
    )
    assert [o.status for o in offers] == [
        OfferStatus.ACCEPTED,
        OfferStatus.DECLINED,
        OfferStatus.SENT,
    ]
    accepted, declined, waiting = offers
    assert (await db.get(Unit, accepted.unit_id)).status is UnitStatus.LET  # type: ignore[union-attr]
    housed = await db.get(Household, accepted.household_id)
    assert housed is not None
    assert housed.status is HouseholdStatus.HOUSED
    subleases = await db.scalar(
        select(func.count()).select_from(Sublease).where(Sublease.offer_id == accepted.id)
    )
    assert subleases == 1
    assert (await db.get(Unit, declined.unit_id)).status is UnitStatus.AVAILABLE  # type: ignore[union-attr]
    assert (await db.get(Unit, waiting.unit_id)).status is UnitStatus.OFFERED  # type: ignore[union-attr]
