"""Reading offers, always scoped: a household reads its own, staff read their agency's.

Also lets the household of a sent or accepted offer see the unit's photos (through
``sra.register.photos``' extra readers; ``/files/{id}`` asks them).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from matching.offers import Offer, OfferStatus
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Household, Unit
from sra.register.photos import add_unit_photo_reader

LIST_LIMIT = 500
# The list filter "to decide": declined, expired or withdrawn, no choice made yet.
TO_DECIDE = "to_decide"


def _with_unit() -> Select[Any]:
    return (
        select(Offer, Unit, Household)
        .join(Unit, Unit.id == Offer.unit_id)
        .join(Household, Household.id == Offer.household_id)
        .options(selectinload(Unit.building))
    )


async def offers_of_user(
    session: AsyncSession, user_id: UUID
) -> list[tuple[Offer, Unit, Household]]:
    """The signed-in household's offers, newest first."""
    rows = await session.execute(
        _with_unit().where(Household.user_id == user_id).order_by(Offer.created_at.desc())
    )
    return [(o, u, h) for o, u, h in rows.tuples()]


async def offer_of_user(
    session: AsyncSession, user_id: UUID, offer_id: UUID
) -> tuple[Offer, Unit, Household] | None:
    """One offer, only when it is the signed-in household's (None: the caller answers 404)."""
    row = (
        await session.execute(
            _with_unit().where(Offer.id == offer_id, Household.user_id == user_id)
        )
    ).first()
    return (row[0], row[1], row[2]) if row else None


def _scoped(query: Select[Any], agency_id: UUID | None) -> Select[Any]:
    return query if agency_id is None else query.where(Offer.agency_id == agency_id)


async def offers_of_agency(
    session: AsyncSession, agency_id: UUID | None, status: str = ""
) -> list[tuple[Offer, Unit, Household]]:
    query = _scoped(_with_unit(), agency_id)
    if status == TO_DECIDE:
        query = query.where(
            Offer.status.in_((OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN)),
            Offer.follow_up.is_(None),
        )
    elif status in {s.value for s in OfferStatus}:
        query = query.where(Offer.status == OfferStatus(status))
    rows = await session.execute(
        query.order_by(Offer.created_at.desc(), Offer.id).limit(LIST_LIMIT)
    )
    return [(o, u, h) for o, u, h in rows.tuples()]


async def offer_of_agency(
    session: AsyncSession, agency_id: UUID | None, offer_id: UUID
) -> tuple[Offer, Unit, Household] | None:
    row = (
        await session.execute(_scoped(_with_unit(), agency_id).where(Offer.id == offer_id))
    ).first()
    return (row[0], row[1], row[2]) if row else None


async def offers_of_unit(session: AsyncSession, unit_id: UUID) -> list[Offer]:
    """Every offer of one unit, oldest first: the history on the staff page."""
    rows = await session.scalars(
        select(Offer).where(Offer.unit_id == unit_id).order_by(Offer.created_at, Offer.id)
    )
    return list(rows)


async def _offered_household_sees_photos(
    session: AsyncSession, user: CurrentUser, unit_id: UUID
) -> bool:
    """The household of a sent or accepted offer sees the unit's photos."""
    if user.role is not Role.HOUSEHOLD:
        return False
    found = await session.scalar(
        select(Offer.id)
        .join(Household, Household.id == Offer.household_id)
        .where(
            Offer.unit_id == unit_id,
            Household.user_id == user.id,
            Offer.status.in_((OfferStatus.SENT, OfferStatus.ACCEPTED)),
        )
        .limit(1)
    )
    return found is not None


add_unit_photo_reader(_offered_household_sees_photos)
