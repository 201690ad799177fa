"""Rent caps per unit type and bedroom count, indexed every 1 January by the health index.

The cap in force on a date is ``cap_cents x index(December before that year) / index(base
month)``, rounded half up to the cent once. Without a configured cap there is no cap (None);
when either index is missing the cap stays un-indexed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Integer, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.i18n import lazy
from sra.money import round_half_up_cents

if TYPE_CHECKING:  # the register's models import UnitType from here
    from sra.register.models import Unit

MAX_BEDROOMS = 20


class UnitType(StrEnum):
    STUDIO = "studio"
    APARTMENT = "apartment"
    HOUSE = "house"


UNIT_TYPE_LABELS = {
    UnitType.STUDIO: lazy("Studio"),
    UnitType.APARTMENT: lazy("Apartment"),
    UnitType.HOUSE: lazy("House"),
}


class RentCap(Base):
    __tablename__ = "rent_cap"
    __table_args__ = (
        UniqueConstraint("agency_id", "unit_type", "bedrooms"),
        CheckConstraint(f"bedrooms >= 0 AND bedrooms <= {MAX_BEDROOMS}", name="bedrooms"),
        CheckConstraint("cap_cents > 0", name="cap_positive"),
    )

    agency_id: Mapped[UUID] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    unit_type: Mapped[UnitType] = mapped_column(
        Enum(
            UnitType,
            name="unit_type",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    bedrooms: Mapped[int] = mapped_column(Integer)
    cap_cents: Mapped[int] = mapped_column(Integer)
    # The month whose health index the cap was set against (first day of the month).
    base_month: Mapped[date] = mapped_column(Date)


audit.register_entity("rent_cap", fields={"unit_type", "bedrooms", "cap_cents", "base_month"})


def indexation_month(on: date) -> date:
    """The index month that applies on ``on``: December of the year before."""
    return date(on.year - 1, 12, 1)


def indexed_cap(cap_cents: int, base_index: Decimal | None, current_index: Decimal | None) -> int:
    """The cap scaled by current/base index, rounded once; un-indexed when an index is missing."""
    if base_index is None or current_index is None or base_index <= 0:
        return cap_cents
    return round_half_up_cents(Decimal(cap_cents) * current_index / base_index)


async def cap_for(
    session: AsyncSession, agency_id: UUID, unit_type: UnitType, bedrooms: int, on: date
) -> int | None:
    """The agency's monthly rent cap in cents for this unit type and size on ``on``, or None."""
    from sra.health_index import index_for

    cap = await session.scalar(
        select(RentCap).where(
            RentCap.agency_id == agency_id,
            RentCap.unit_type == unit_type,
            RentCap.bedrooms == bedrooms,
        )
    )
    if cap is None:
        return None
    base = await index_for(session, cap.base_month)
    current = await index_for(session, indexation_month(on))
    return indexed_cap(cap.cap_cents, base, current)


async def cap_for_unit(session: AsyncSession, agency_id: UUID, unit: Unit) -> int | None:
    """The cap in force today for this unit's type and size, or None when none is set."""
    return await cap_for(session, agency_id, unit.unit_type, unit.bedrooms, date.today())


async def list_caps(session: AsyncSession, agency_id: UUID) -> list[RentCap]:
    rows = await session.scalars(
        select(RentCap)
        .where(RentCap.agency_id == agency_id)
        .order_by(RentCap.unit_type, RentCap.bedrooms)
    )
    return list(rows)


async def set_cap(
    session: AsyncSession,
    agency_id: UUID,
    unit_type: UnitType,
    bedrooms: int,
    cap_cents: int,
    base_month: date,
) -> RentCap:
    """Configure (or change) the cap for this unit type and bedroom count."""
    cap = await session.scalar(
        select(RentCap).where(
            RentCap.agency_id == agency_id,
            RentCap.unit_type == unit_type,
            RentCap.bedrooms == bedrooms,
        )
    )
    if cap is None:
        cap = RentCap(agency_id=agency_id, unit_type=unit_type, bedrooms=bedrooms)
        session.add(cap)
    cap.cap_cents = cap_cents
    cap.base_month = base_month.replace(day=1)
    await session.flush()
    return cap


async def agency_cap(session: AsyncSession, agency_id: UUID, cap_id: UUID) -> RentCap | None:
    """The cap if it belongs to the agency (another agency's cap is as good as absent)."""
    cap: RentCap | None = await session.scalar(
        select(RentCap).where(RentCap.id == cap_id, RentCap.agency_id == agency_id)
    )
    return cap
