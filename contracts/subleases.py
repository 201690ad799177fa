"""Subleases: the agency lets a unit to a household (DOMAIN.md). For now only the draft.

An accepted offer makes one draft per offer (``offer_id`` is unique), with the tenant rent and
charges the household was offered; the leases work adds signing, deposit, start and end.
``offer_id`` carries no foreign key on purpose: offers live in ``matching``, which
``contracts`` never depends on (ARCHITECTURE.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import cast
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Integer, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.register.models import Household, Unit


class SubleaseStatus(StrEnum):
    DRAFT = "draft"


SUBLEASE_STATUS: dict[SubleaseStatus, str] = {
    SubleaseStatus.DRAFT: lazy("Draft, to be signed"),
}


class SubleaseError(ValueError):
    """The draft cannot be made (the message is for logs, not people)."""


class Sublease(Base):
    __tablename__ = "sublease"
    __table_args__ = (
        CheckConstraint("rent_cents >= 0 AND charges_cents >= 0", name="amounts_not_negative"),
    )

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="RESTRICT"), index=True
    )
    offer_id: Mapped[UUID] = mapped_column(unique=True)
    status: Mapped[SubleaseStatus] = mapped_column(
        Enum(
            SubleaseStatus,
            name="sublease_status",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=SubleaseStatus.DRAFT,
    )
    rent_cents: Mapped[int] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer)


async def create_draft_sublease(
    session: AsyncSession,
    unit_id: UUID,
    household_id: UUID,
    offer_id: UUID,
    *,
    rent_cents: int | None = None,
    charges_cents: int | None = None,
    actor: CurrentUser | None = None,
) -> Sublease:
    """The draft sublease of ``offer_id``, made the first time only (a repeat returns it).

    Rent and charges default to the unit's tenant rent and charges; the offer passes the
    amounts it showed the household.
    """
    existing = await draft_of_offer(session, offer_id)
    if existing is not None:
        return existing
    unit = await session.get(Unit, unit_id)
    household = await session.get(Household, household_id)
    if unit is None or household is None:
        raise SubleaseError("the unit or the household does not exist")
    rent = unit.tenant_rent_cents if rent_cents is None else rent_cents
    if rent is None:
        raise SubleaseError(f"unit {unit_id} has no tenant rent")
    values = {
        "id": uuid4(),
        "agency_id": household.agency_id,
        "unit_id": unit_id,
        "household_id": household_id,
        "offer_id": offer_id,
        "status": SubleaseStatus.DRAFT.value,
        "rent_cents": rent,
        "charges_cents": unit.charges_cents if charges_cents is None else charges_cents,
    }
    # Another transaction making the same draft at the same time inserts nothing here.
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(cast(Table, Sublease.__table__)).values(**_stamped(values))
    await session.execute(statement.on_conflict_do_nothing(index_elements=["offer_id"]))
    sublease = await draft_of_offer(session, offer_id)
    assert sublease is not None  # inserted now, or by the transaction that won
    if sublease.id == values["id"]:
        await audit.record(
            session,
            **audit.actor_fields(actor),
            action="sublease.drafted",
            entity="sublease",
            entity_id=sublease.id,
            after={name: values[name] for name in AUDITED},
        )
        await session.flush()
    return sublease


def _stamped(values: dict[str, object]) -> dict[str, object]:
    # A Core insert skips the ORM's defaults: the audit timestamps are set here.
    now = datetime.now(UTC)
    return {**values, "created_at": now, "updated_at": now}


async def draft_of_offer(session: AsyncSession, offer_id: UUID) -> Sublease | None:
    sublease: Sublease | None = await session.scalar(
        select(Sublease).where(Sublease.offer_id == offer_id)
    )
    return sublease


AUDITED = (
    "agency_id",
    "unit_id",
    "household_id",
    "offer_id",
    "status",
    "rent_cents",
    "charges_cents",
)
audit.register_entity("sublease", fields=set(AUDITED))
