"""Intake work on one agency's units: the queue, visits, checklist, location, approval.

Every query is scoped to the staff member's agency (``agency_id`` None: a single-agency
installation, where staff have no agency set). Services never commit; they flush.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra import audit
from sra.identity.current import CurrentUser
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.inspection import CHECK_ITEMS, CheckResult, InspectionReport, open_report
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.queries import agency_of_unit
from sra.register.rent_caps import cap_for_unit
from sra.register.unit_status import GRAPH, UnitStatusChange, move_unit

IN_INTAKE = (UnitStatus.SUBMITTED, UnitStatus.INSPECTION_SCHEDULED, UnitStatus.INSPECTED)
QUEUE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue page asks for; empty means "any". ``status`` "intake" = the three steps."""

    status: str = "intake"
    municipality: str = ""
    bedrooms: int | None = None
    accessibility: str = ""  # "", "step_free" or "wheelchair"
    text: str = ""


@dataclass(frozen=True, slots=True)
class QueueRow:
    unit: Unit
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class Checklist:
    """A completed checklist, already checked by the form."""

    results: dict[str, CheckResult]
    smoke_detectors_count: int
    smoke_detectors_ok: bool
    energy_label: str | None
    meter_electricity_kwh: float | None
    meter_gas_m3: float | None
    meter_water_m3: float | None
    notes: str = ""


def _scoped(query: Select[Any], agency_id: UUID | None) -> Select[Any]:
    query = (
        query.select_from(Unit)
        .join(Building, Building.id == Unit.building_id)
        .join(Landlord, Landlord.id == Building.landlord_id)
    )
    return query if agency_id is None else query.where(Landlord.agency_id == agency_id)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _submitted_at() -> Any:
    """When the unit last entered ``submitted`` (units loaded as submitted: their creation)."""
    moved = (
        select(func.max(UnitStatusChange.moved_at))
        .where(
            UnitStatusChange.unit_id == Unit.id,
            UnitStatusChange.to_status == UnitStatus.SUBMITTED,
        )
        .scalar_subquery()
    )
    return func.coalesce(moved, Unit.created_at)


async def intake_queue(
    session: AsyncSession, agency_id: UUID | None, wanted: QueueFilter
) -> list[QueueRow]:
    """Units matching ``wanted``, the longest waiting first."""
    submitted_at = _submitted_at().label("submitted_at")
    query = _scoped(select(Unit, submitted_at), agency_id).options(
        selectinload(Unit.building).selectinload(Building.landlord)
    )
    if wanted.status == "intake":
        query = query.where(Unit.status.in_(IN_INTAKE))
    elif wanted.status:
        query = query.where(Unit.status == UnitStatus(wanted.status))
    if wanted.municipality:
        query = query.where(Building.municipality == wanted.municipality)
    if wanted.bedrooms is not None:
        query = query.where(Unit.bedrooms == wanted.bedrooms)
    if wanted.accessibility == "step_free":
        query = query.where(Unit.step_free.is_(True))
    elif wanted.accessibility == "wheelchair":
        query = query.where(Unit.wheelchair_accessible.is_(True))
    if wanted.text:
        pattern = _like(wanted.text)
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Building.street,
                        Building.postcode,
                        Building.municipality,
                        Landlord.name,
                        Unit.label,
                    )
                )
            )
        )
    query = query.order_by(submitted_at, Unit.label).limit(QUEUE_LIMIT)
    return [QueueRow(unit, when) for unit, when in (await session.execute(query)).tuples()]


async def municipalities(session: AsyncSession, agency_id: UUID | None) -> list[str]:
    query = select(Building.municipality).join(Landlord, Landlord.id == Building.landlord_id)
    if agency_id is not None:
        query = query.where(Landlord.agency_id == agency_id)
    rows = await session.scalars(query.distinct().order_by(Building.municipality))
    return list(rows)


async def unit_for_staff(
    session: AsyncSession, agency_id: UUID | None, unit_id: UUID
) -> Unit | None:
    """One unit of the agency with its building and landlord (None: answer 404)."""
    unit: Unit | None = await session.scalar(
        _scoped(select(Unit), agency_id)
        .where(Unit.id == unit_id)
        .options(selectinload(Unit.building).selectinload(Building.landlord))
    )
    return unit


async def available_units(session: AsyncSession, agency_id: UUID | None) -> list[Unit]:
    """Units open for allocation, by place: what the allocation officer works with."""
    rows = await session.scalars(
        _scoped(select(Unit), agency_id)
        .where(Unit.status == UnitStatus.AVAILABLE)
        .options(selectinload(Unit.building).selectinload(Building.landlord))
        .order_by(Building.municipality, Building.street, Unit.label)
    )
    return list(rows)


async def inspectors(session: AsyncSession, agency_id: UUID | None) -> list[User]:
    """Who can visit: the agency's active intake officers."""
    query = select(User).where(User.role == Role.INTAKE_OFFICER, User.is_active.is_(True))
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return list(await session.scalars(query.order_by(User.display_name)))


async def schedule_inspection(
    session: AsyncSession,
    unit: Unit,
    *,
    on: date,
    at: time,
    inspector_id: UUID,
    actor: CurrentUser | None,
) -> InspectionReport:
    """Plan the visit (``submitted -> inspection_scheduled``) or move the planned one."""
    report = await open_report(session, unit.id)
    if unit.status is UnitStatus.INSPECTION_SCHEDULED and report is not None:
        report.scheduled_on, report.scheduled_time, report.inspector_id = on, at, inspector_id
        action = "inspection.rescheduled"
    elif unit.status is UnitStatus.SUBMITTED:
        report = InspectionReport(
            unit_id=unit.id, scheduled_on=on, scheduled_time=at, inspector_id=inspector_id
        )
        session.add(report)
        await session.flush()
        await move_unit(session, unit, UnitStatus.INSPECTION_SCHEDULED, actor=actor)
        action = "inspection.scheduled"
    else:
        raise GRAPH.refuse(unit.status, UnitStatus.INSPECTION_SCHEDULED)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action=action,
        entity="inspection_report",
        entity_id=report.id,
        after={
            "unit_id": unit.id,
            "inspector_id": inspector_id,
            "scheduled_on": on,
            "scheduled_time": at.isoformat(timespec="minutes"),
        },
    )
    await session.flush()
    return report


async def record_inspection(
    session: AsyncSession,
    unit: Unit,
    report: InspectionReport,
    checklist: Checklist,
    *,
    actor: CurrentUser | None,
) -> None:
    """Complete the visit's checklist: ``inspection_scheduled -> inspected``."""
    if unit.status is not UnitStatus.INSPECTION_SCHEDULED or report.completed:
        raise GRAPH.refuse(unit.status, UnitStatus.INSPECTED)
    for item in CHECK_ITEMS:
        setattr(report, item, checklist.results[item])
    report.smoke_detectors_count = checklist.smoke_detectors_count
    report.smoke_detectors_ok = checklist.smoke_detectors_ok
    report.energy_label = checklist.energy_label
    report.meter_electricity_kwh = checklist.meter_electricity_kwh
    report.meter_gas_m3 = checklist.meter_gas_m3
    report.meter_water_m3 = checklist.meter_water_m3
    report.notes = checklist.notes
    report.completed_at = datetime.now(UTC)
    report.completed_by = actor.id if actor else None
    if checklist.energy_label:
        # The certificate seen on site wins over what the landlord typed.
        unit.energy_label = checklist.energy_label
    await move_unit(session, unit, UnitStatus.INSPECTED, actor=actor)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="inspection.recorded",
        entity="inspection_report",
        entity_id=report.id,
        after={
            **{item: checklist.results[item] for item in CHECK_ITEMS},
            "smoke_detectors_count": checklist.smoke_detectors_count,
            "smoke_detectors_ok": checklist.smoke_detectors_ok,
            "energy_label": checklist.energy_label,
            "meter_electricity_kwh": checklist.meter_electricity_kwh,
            "meter_gas_m3": checklist.meter_gas_m3,
            "meter_water_m3": checklist.meter_water_m3,
            "completed_at": report.completed_at,
        },
    )
    await session.flush()


async def place_building(
    session: AsyncSession, building: Building, *, lat: float, lon: float, actor: CurrentUser | None
) -> None:
    """Set the coordinates by hand, when the geocoder could not resolve the address."""
    before = {"lat": building.lat, "lon": building.lon}
    building.lat, building.lon = lat, lon
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="building.placed",
        entity="building",
        entity_id=building.id,
        before=before,
        after={"lat": lat, "lon": lon},
    )
    await session.flush()


class AboveRentCap(ValueError):
    """The guaranteed rent is above the agency's rent cap for this kind of home and size."""

    def __init__(self, cap_cents: int) -> None:
        self.cap_cents = cap_cents
        super().__init__(f"the guaranteed rent is above the rent cap of {cap_cents} cents")


async def approve(
    session: AsyncSession,
    unit: Unit,
    *,
    guaranteed_rent_cents: int,
    tenant_rent_cents: int,
    actor: CurrentUser | None,
) -> None:
    """``inspected -> approved`` with the rent agreed with the landlord and the tenant's rent;
    :class:`AboveRentCap` (nothing changes) when the guaranteed rent is above the rent cap."""
    if unit.status is not UnitStatus.INSPECTED:
        raise GRAPH.refuse(unit.status, UnitStatus.APPROVED)
    agency_id = await agency_of_unit(session, unit)
    cap = await cap_for_unit(session, agency_id, unit) if agency_id is not None else None
    if cap is not None and guaranteed_rent_cents > cap:
        raise AboveRentCap(cap)
    before = {
        "guaranteed_rent_cents": unit.guaranteed_rent_cents,
        "tenant_rent_cents": unit.tenant_rent_cents,
    }
    unit.guaranteed_rent_cents = guaranteed_rent_cents
    unit.tenant_rent_cents = tenant_rent_cents
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="unit.rents_set",
        entity="unit",
        entity_id=unit.id,
        before=before,
        after={
            "guaranteed_rent_cents": guaranteed_rent_cents,
            "tenant_rent_cents": tenant_rent_cents,
        },
    )
    await move_unit(session, unit, UnitStatus.APPROVED, actor=actor)


async def reject(
    session: AsyncSession, unit: Unit, *, reason: str, actor: CurrentUser | None
) -> None:
    await move_unit(session, unit, UnitStatus.REJECTED, actor=actor, reason=reason)


@dataclass(frozen=True, slots=True)
class Visit:
    report: InspectionReport
    unit: Unit
    inspector: str


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


async def calendar_week(
    session: AsyncSession, agency_id: UUID | None, monday: date
) -> dict[date, list[Visit]]:
    """Visits planned or done in the week starting ``monday``, by day, in time order.

    A visit still open for a unit that left ``inspection_scheduled`` (rejected or withdrawn
    before it) is cancelled and not shown.
    """
    days = {monday + timedelta(days=n): list[Visit]() for n in range(7)}
    query = (
        _scoped(select(InspectionReport, Unit, User.display_name), agency_id)
        .join(InspectionReport, InspectionReport.unit_id == Unit.id)
        .outerjoin(User, User.id == InspectionReport.inspector_id)
        .where(
            InspectionReport.scheduled_on >= monday,
            InspectionReport.scheduled_on < monday + timedelta(days=7),
            or_(
                InspectionReport.completed_at.is_not(None),
                Unit.status == UnitStatus.INSPECTION_SCHEDULED,
            ),
        )
        .options(selectinload(Unit.building))
        .order_by(InspectionReport.scheduled_on, InspectionReport.scheduled_time)
    )
    for report, unit, inspector in (await session.execute(query)).tuples():
        days[report.scheduled_on].append(Visit(report, unit, inspector or ""))
    return days
