"""Demo intake work and leases: visits in the calendar, one flat waiting for approval, signed
head leases for the available flats and one proposal waiting for its landlord.

The signed leases' contract PDFs are made on their first download (``ensure_pdf``): seeding
has no file store at hand, and the bytes are kept unchanged from then on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.leases import HeadLease, LeaseStatus, month_before, propose
from contracts.packages import GuaranteePackage, PackageKind
from sra.identity.current import acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.inspection import CheckResult, InspectionReport
from sra.register.models import Agency, Building, Landlord, Unit, UnitStatus

# The flat the demo shows as inspected and waiting for approval (submitted in demo.json).
INSPECTED = ("Rue du Spécimen 21", "1")
# Documentation addresses (RFC 5737): where the demo landlords "accepted" from.
DEMO_IPS = ("192.0.2.10", "192.0.2.24", "198.51.100.7")


async def add_demo_intake_and_leases(session: AsyncSession, agency: Agency) -> None:
    officer = await session.scalar(
        select(User).where(User.agency_id == agency.id, User.role == Role.INTAKE_OFFICER)
    )
    packages = list(
        await session.scalars(
            select(GuaranteePackage)
            .where(GuaranteePackage.agency_id == agency.id, GuaranteePackage.active.is_(True))
            .order_by(GuaranteePackage.duration_years.desc(), GuaranteePackage.name)
        )
    )
    units = list(
        await session.scalars(
            select(Unit)
            .join(Building, Building.id == Unit.building_id)
            .join(Landlord, Landlord.id == Building.landlord_id)
            .where(Landlord.agency_id == agency.id)
            .options(selectinload(Unit.building).selectinload(Building.landlord))
            .order_by(Building.street, Unit.label)
        )
    )
    today = date.today()
    if officer is not None:
        _add_visits(session, units, officer.id, today)
    if not packages:
        return  # no package, no lease: the leases part of the demo needs the packages demo
    default = next((p for p in packages if p.kind is PackageKind.HEAD_LEASE), packages[0])
    by_id: dict[UUID | None, GuaranteePackage] = {p.id: p for p in packages}
    for n, unit in enumerate(u for u in units if u.status is UnitStatus.AVAILABLE):
        session.add(_signed_lease(unit, by_id.get(unit.package_id) or default, n, today))
    await session.flush()
    actor = acting_as(officer) if officer is not None else None
    for unit in (u for u in units if u.status is UnitStatus.APPROVED):
        package = by_id.get(unit.package_id) or default
        await propose(
            session,
            unit,
            package=package,
            guaranteed_rent_cents=unit.guaranteed_rent_cents or unit.proposed_rent_cents or 0,
            start_date=max(unit.available_from or today, today) + timedelta(days=14),
            duration_years=package.duration_years,
            index_base_month=None,
            actor=actor,
        )
    await session.flush()


def _add_visits(session: AsyncSession, units: list[Unit], officer_id: UUID, today: date) -> None:
    for unit in units:
        if unit.status is UnitStatus.INSPECTION_SCHEDULED:
            session.add(
                InspectionReport(
                    unit_id=unit.id,
                    inspector_id=officer_id,
                    scheduled_on=_working_day(today + timedelta(days=2), forward=True),
                    scheduled_time=time(10, 0),
                )
            )
        elif (unit.building.street, unit.label) == INSPECTED:
            unit.status = UnitStatus.INSPECTED
            unit.energy_label = unit.energy_label or "D"
            day = _working_day(today - timedelta(days=1), forward=False)
            session.add(_done_visit(unit, officer_id, day))


def _working_day(day: date, *, forward: bool) -> date:
    """``day``, or the nearest Monday to Friday in the given direction (no visits at weekends)."""
    step = timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return day


def _done_visit(unit: Unit, officer_id: UUID, day: date) -> InspectionReport:
    ok = CheckResult.OK
    return InspectionReport(
        unit_id=unit.id,
        inspector_id=officer_id,
        completed_by=officer_id,
        scheduled_on=day,
        scheduled_time=time(14, 30),
        completed_at=datetime.combine(day, time(15, 15), tzinfo=UTC),
        electricity=ok,
        gas=ok,
        humidity=CheckResult.DEFECT,
        ventilation=ok,
        windows=ok,
        stairs=CheckResult.NOT_APPLICABLE,
        smoke_detectors_count=2,
        smoke_detectors_ok=True,
        energy_label=unit.energy_label,
        meter_electricity_kwh=18342.5,
        meter_gas_m3=4210.118,
        meter_water_m3=612.07,
        notes="Some mould behind the bedroom wardrobe: to be treated before letting.",
    )


def _signed_lease(unit: Unit, package: GuaranteePackage, n: int, today: date) -> HeadLease:
    signed_on = today - timedelta(days=60 + 45 * n)
    accepted_at = datetime.combine(signed_on, time(9 + n % 8, 12), tzinfo=UTC)
    landlord = unit.building.landlord
    return HeadLease(
        unit_id=unit.id,
        landlord_id=landlord.id,
        package_id=package.id,
        kind=package.kind,
        guaranteed_rent_cents=unit.guaranteed_rent_cents or unit.proposed_rent_cents or 0,
        start_date=(signed_on.replace(day=28) + timedelta(days=4)).replace(day=1),
        duration_years=package.duration_years,
        index_base_month=month_before(signed_on),
        status=LeaseStatus.ACCEPTED,
        accepted_at=accepted_at,
        accepted_ip=DEMO_IPS[n % len(DEMO_IPS)],
        accepted_by=landlord.user_id,
    )
