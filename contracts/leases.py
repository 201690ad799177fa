"""Head leases and management mandates: the agency's agreement with a landlord for one unit.

The intake officer proposes the terms of an approved unit; the landlord accepts them in the
portal. Acceptance records the time and the address it came from, makes the contract PDF in
the landlord's language once (its SHA-256 kept beside it, so every download can be checked
against it), and only then opens the unit for allocation. Accepting twice changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from contracts import subleases
from contracts.packages import GuaranteePackage, PackageKind
from contracts.subleases import Sublease
from sra import audit
from sra.db.base import Base
from sra.files import FileStore, StoredFile, register_access_policy
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.notifications import notify
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.unit_status import open_for_allocation

PDF_KIND = "head_lease_pdf"
PDF_READERS = frozenset({Role.INTAKE_OFFICER, Role.FINANCE_OFFICER})


class LeaseStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


LEASE_STATUS: dict[LeaseStatus, str] = {
    LeaseStatus.PROPOSED: lazy("Waiting for the landlord"),
    LeaseStatus.ACCEPTED: lazy("Accepted"),
    LeaseStatus.WITHDRAWN: lazy("Withdrawn"),
}


class LeaseError(ValueError):
    """The lease cannot do that in its present state (the message is for logs, not people)."""


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class HeadLease(Base):
    __tablename__ = "head_lease"
    __table_args__ = (
        CheckConstraint("guaranteed_rent_cents >= 0", name="rent_not_negative"),
        CheckConstraint("duration_years >= 1 AND duration_years <= 99", name="duration"),
        CheckConstraint(
            "status != 'accepted' OR (accepted_at IS NOT NULL AND index_base_month IS NOT NULL)",
            name="accepted_complete",
        ),
        # At most one proposal waiting per unit.
        Index(
            "uq_head_lease_unit_proposed",
            "unit_id",
            unique=True,
            sqlite_where=text("status = 'proposed'"),
            postgresql_where=text("status = 'proposed'"),
        ),
    )

    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    landlord_id: Mapped[UUID] = mapped_column(
        ForeignKey("landlord.id", ondelete="RESTRICT"), index=True
    )
    package_id: Mapped[UUID] = mapped_column(
        ForeignKey("guarantee_package.id", ondelete="RESTRICT")
    )
    kind: Mapped[PackageKind] = mapped_column(_enum(PackageKind, "head_lease_kind"))
    guaranteed_rent_cents: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    duration_years: Mapped[int] = mapped_column(Integer)
    # First day of the month whose health index is the base; None until signed, then
    # (unless the officer chose one) the month before signing (DOMAIN.md).
    index_base_month: Mapped[date | None] = mapped_column(Date)
    status: Mapped[LeaseStatus] = mapped_column(
        _enum(LeaseStatus, "head_lease_status"), default=LeaseStatus.PROPOSED
    )
    proposed_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    accepted_ip: Mapped[str | None] = mapped_column(String(45))
    accepted_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The language the contract was made in (the landlord's, at acceptance).
    locale: Mapped[str | None] = mapped_column(String(5))
    pdf_file_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT")
    )
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    @property
    def end_date(self) -> date:
        """The last day of the lease: the day before the start's anniversary."""
        return add_years(self.start_date, self.duration_years) - timedelta(days=1)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one: the lease runs to 1 March
        return date(day.year + years, 3, 1)


def month_before(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


async def _record(
    session: AsyncSession,
    lease: HeadLease,
    action: str,
    actor: CurrentUser | None,
    ip_address: str | None = None,
) -> None:
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action=action,
        entity="head_lease",
        entity_id=lease.id,
        after={name: getattr(lease, name) for name in AUDITED},
        ip_address=ip_address,
    )


async def open_proposal(session: AsyncSession, unit_id: UUID) -> HeadLease | None:
    lease: HeadLease | None = await session.scalar(
        select(HeadLease).where(
            HeadLease.unit_id == unit_id, HeadLease.status == LeaseStatus.PROPOSED
        )
    )
    return lease


async def propose(
    session: AsyncSession,
    unit: Unit,
    *,
    package: GuaranteePackage,
    guaranteed_rent_cents: int,
    start_date: date,
    duration_years: int,
    index_base_month: date | None,
    actor: CurrentUser | None,
) -> HeadLease:
    """Offer the terms for an approved unit to its landlord (who is told so)."""
    if unit.status is not UnitStatus.APPROVED:
        raise LeaseError(f"only an approved unit gets a lease proposal, not {unit.status}")
    if await open_proposal(session, unit.id) is not None:
        raise LeaseError("a proposal for this unit is already waiting")
    landlord = await _landlord_of(session, unit)
    lease = HeadLease(
        unit_id=unit.id,
        landlord_id=landlord.id,
        package_id=package.id,
        kind=package.kind,
        guaranteed_rent_cents=guaranteed_rent_cents,
        start_date=start_date,
        duration_years=duration_years,
        index_base_month=index_base_month.replace(day=1) if index_base_month else None,
        status=LeaseStatus.PROPOSED,
        proposed_by=actor.id if actor else None,
    )
    session.add(lease)
    await session.flush()
    await _record(session, lease, "head_lease.proposed", actor)
    if landlord.user_id is not None:
        await notify(
            session,
            user_id=landlord.user_id,
            message=lazy(
                "The agency proposes the lease terms for your flat {unit}."
                " Please read them and accept them in your portal."
            ),
            params={"unit": unit.label},
            link=f"/landlord/leases/{lease.id}",
        )
    await session.flush()
    return lease


async def withdraw(session: AsyncSession, lease: HeadLease, *, actor: CurrentUser | None) -> None:
    """Take back a proposal the landlord has not accepted (to propose other terms)."""
    result = await session.execute(
        update(HeadLease)
        .where(HeadLease.id == lease.id, HeadLease.status == LeaseStatus.PROPOSED)
        .values(status=LeaseStatus.WITHDRAWN)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseError("only a proposal can be withdrawn")
    await _record(session, lease, "head_lease.withdrawn", actor)
    await session.flush()


async def accept(
    session: AsyncSession,
    lease: HeadLease,
    *,
    store: FileStore,
    actor: CurrentUser | None,
    ip_address: str | None,
    now: datetime | None = None,
) -> bool:
    """The landlord signs: True when this call accepted it, False when it already was.

    The status moves in one conditional UPDATE, so two clicks (or two tabs) accept once.
    """
    now = now or datetime.now(UTC)
    result = await session.execute(
        update(HeadLease)
        .where(HeadLease.id == lease.id, HeadLease.status == LeaseStatus.PROPOSED)
        .values(
            status=LeaseStatus.ACCEPTED,
            accepted_at=now,
            accepted_ip=ip_address,
            accepted_by=actor.id if actor else None,
            index_base_month=lease.index_base_month or month_before(now.date()),
        )
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(lease)
        if lease.status is LeaseStatus.ACCEPTED:
            return False
        raise LeaseError(f"a {lease.status} lease cannot be accepted")
    await session.refresh(lease)
    unit = await _unit_of(session, lease)
    unit.guaranteed_rent_cents = lease.guaranteed_rent_cents
    await ensure_pdf(session, lease, store)
    await _record(session, lease, "head_lease.accepted", actor, ip_address)
    await open_for_allocation(session, unit, actor=actor)
    await session.flush()
    return True


async def ensure_pdf(session: AsyncSession, lease: HeadLease, store: FileStore) -> StoredFile:
    """The contract PDF of an accepted lease, made and stored the first time it is needed."""
    if lease.status is not LeaseStatus.ACCEPTED:
        raise LeaseError("only an accepted lease has a contract")
    if lease.pdf_file_id is not None:
        stored = await session.get(StoredFile, lease.pdf_file_id)
        if stored is None:
            raise LeaseError("the contract's file row is missing")
        return stored
    from contracts.lease_pdf import contract_pdf

    landlord = await session.get_one(Landlord, lease.landlord_id)
    data, locale = await contract_pdf(session, lease, landlord)
    stored = await store.save(
        session,
        data=data,
        filename=f"contract-{lease.id}.pdf",
        content_type="application/pdf",
        owner_kind=PDF_KIND,
        owner_id=str(lease.id),
        uploaded_by=None,
    )
    result = await session.execute(
        update(HeadLease)
        .where(HeadLease.id == lease.id, HeadLease.pdf_file_id.is_(None))
        .values(pdf_file_id=stored.id, pdf_sha256=hashlib.sha256(data).hexdigest(), locale=locale)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Made at the same time by another request, which won: keep its file.
        await session.delete(stored)
        await session.refresh(lease)
        return await ensure_pdf(session, lease, store)
    await session.refresh(lease)
    return stored


async def contract_bytes(session: AsyncSession, lease: HeadLease, store: FileStore) -> bytes:
    """The stored contract, checked against the SHA-256 recorded at acceptance."""
    stored = await ensure_pdf(session, lease, store)
    data = await store.read(stored)
    if hashlib.sha256(data).hexdigest() != lease.pdf_sha256:
        raise LeaseError(f"contract {lease.id} does not match its recorded SHA-256")
    return data


async def _landlord_of(session: AsyncSession, unit: Unit) -> Landlord:
    landlord = await session.scalar(
        select(Landlord)
        .join(Building, Building.landlord_id == Landlord.id)
        .where(Building.id == unit.building_id)
    )
    assert landlord is not None  # a unit's building always has its landlord (foreign keys)
    return landlord


async def _unit_of(session: AsyncSession, lease: HeadLease) -> Unit:
    unit = await session.scalar(
        select(Unit).where(Unit.id == lease.unit_id).options(selectinload(Unit.building))
    )
    assert unit is not None  # the foreign key keeps the lease's unit
    return unit


async def lease_of_landlord(
    session: AsyncSession, landlord_id: UUID, lease_id: UUID
) -> HeadLease | None:
    """One lease, only when it is the landlord's (None: the caller answers 404)."""
    lease: HeadLease | None = await session.scalar(
        select(HeadLease).where(HeadLease.id == lease_id, HeadLease.landlord_id == landlord_id)
    )
    return lease


async def leases_of_landlord(session: AsyncSession, landlord_id: UUID) -> list[HeadLease]:
    rows = await session.scalars(
        select(HeadLease)
        .where(HeadLease.landlord_id == landlord_id, HeadLease.status != LeaseStatus.WITHDRAWN)
        .order_by(HeadLease.created_at.desc())
    )
    return list(rows)


async def lease_of_agency(
    session: AsyncSession, agency_id: UUID | None, lease_id: UUID
) -> HeadLease | None:
    """One lease of the staff member's agency (None: answer 404)."""
    query = (
        select(HeadLease)
        .join(Landlord, Landlord.id == HeadLease.landlord_id)
        .where(HeadLease.id == lease_id)
    )
    if agency_id is not None:
        query = query.where(Landlord.agency_id == agency_id)
    lease: HeadLease | None = await session.scalar(query)
    return lease


async def _may_read_pdf(session: AsyncSession, user: CurrentUser, stored: StoredFile) -> bool:
    """The landlord who signed it, and the agency's intake and finance officers."""
    try:
        lease_id = UUID(stored.owner_id)
    except ValueError:
        return False
    row = (
        await session.execute(
            select(Landlord.user_id, Landlord.agency_id)
            .join(HeadLease, HeadLease.landlord_id == Landlord.id)
            .where(HeadLease.id == lease_id, HeadLease.pdf_file_id == stored.id)
        )
    ).first()
    if row is None:
        return False
    if user.role is Role.LANDLORD:
        return bool(row.user_id == user.id)
    return user.role in PDF_READERS and (user.agency_id is None or user.agency_id == row.agency_id)


register_access_policy(PDF_KIND, _may_read_pdf)

AUDITED = (
    "unit_id",
    "landlord_id",
    "package_id",
    "kind",
    "guaranteed_rent_cents",
    "start_date",
    "duration_years",
    "index_base_month",
    "status",
    "accepted_at",
    "accepted_ip",
    "pdf_sha256",
)
audit.register_entity("head_lease", fields=set(AUDITED), personal={"accepted_ip"})


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
    """The draft sublease of an accepted offer, once per offer (see contracts.subleases)."""
    return await subleases.create_draft_sublease(
        session,
        unit_id,
        household_id,
        offer_id,
        rent_cents=rent_cents,
        charges_cents=charges_cents,
        actor=actor,
    )
