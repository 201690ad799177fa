"""Offers past their deadline expire: a scheduled job, safe to run any number of times.

An offer is open through its deadline day and expires the day after. Each expiry is the same
conditional UPDATE an answer makes, so an expiry racing a late click happens once or not at all,
and a second run finds nothing left to do.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offers import (
    Offer,
    OfferStatus,
    close_offer,
    give_back,
    record,
    tell_officer,
    unit_address,
)
from sra.i18n import lazy
from sra.jobs import TaskContext, task
from sra.notifications import notify
from sra.settings import Settings


async def expire_offers(
    session: AsyncSession, today: date, settings: Settings | None = None
) -> int:
    """Expire every sent offer whose deadline is before ``today``; returns how many it expired."""
    due = await session.scalars(
        select(Offer)
        .where(Offer.status == OfferStatus.SENT, Offer.deadline < today)
        .order_by(Offer.deadline, Offer.id)
    )
    expired = 0
    for offer in list(due):
        if await expire(session, offer, settings):
            expired += 1
    return expired


async def expire(session: AsyncSession, offer: Offer, settings: Settings | None = None) -> bool:
    """One offer: False when an answer came first."""
    if not await close_offer(session, offer, OfferStatus.EXPIRED, datetime.now(UTC)):
        return False
    household = await give_back(session, offer, actor=None)
    await record(session, offer, "offer.expired", None)
    if household.user_id is not None:
        await notify(
            session,
            user_id=household.user_id,
            message=lazy(
                "Your offer for {unit} has expired: no answer came by the deadline. "
                "You are back on the waiting list."
            ),
            params={"unit": await unit_address(session, offer.unit_id)},
            link=f"/tenant/offers/{offer.id}",
            settings=settings,
        )
    await tell_officer(
        session,
        offer,
        household,
        lazy("The offer of {unit} to {household} has expired. Please choose what happens next."),
    )
    await session.flush()
    return True


@task("matching.expire_offers", schedule=timedelta(hours=1))
async def expire_offers_job(ctx: TaskContext, payload: dict[str, Any]) -> None:
    await expire_offers(ctx.session, date.today(), ctx.settings)
