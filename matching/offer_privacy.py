"""What offers hold about a household, for its data export and its erasure.

The export lists every offer with the household's answer. The erasure keeps the offers (a
unit's history and the sublease it led to must still add up) but clears the words the
household wrote when declining, and pseudonymises them in the audit log.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offers import Offer
from sra import audit
from sra.households.personal_data import eraser, exporter
from sra.register.models import Household


@exporter("offers")
async def _export_offers(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Offer).where(Offer.household_id == household.id).order_by(Offer.created_at)
    )
    return [
        {
            "unit_id": str(offer.unit_id),
            "sent_on": offer.created_at.date().isoformat(),
            "deadline": offer.deadline.isoformat(),
            "status": offer.status.value,
            "rent_cents": offer.rent_cents,
            "charges_cents": offer.charges_cents,
            "decline_reason": offer.decline_reason.value if offer.decline_reason else None,
            "decline_note": offer.decline_note,
            "answered_at": offer.answered_at.isoformat() if offer.answered_at else None,
        }
        for offer in rows
    ]


@eraser("offers")
async def _erase_offers(session: AsyncSession, household: Household) -> None:
    ids = list(await session.scalars(select(Offer.id).where(Offer.household_id == household.id)))
    await session.execute(
        update(Offer)
        .where(Offer.household_id == household.id)
        .values(decline_note=None)
        .execution_options(synchronize_session=False)
    )
    salt = secrets.token_hex(16)
    for offer_id in ids:
        await audit.pseudonymise(session, "offer", offer_id, salt)
    await session.flush()
