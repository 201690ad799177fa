"""The visit before the agency takes a flat: when, by whom, and what the inspector found.

One ``InspectionReport`` per visit. It is created when the visit is scheduled and completed
with the checklist; a unit revised after a rejection gets a new report for its next visit.
Photos are stored files of owner kind ``inspection_photo`` (the report's id), readable by the
agency's staff only.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.files import StoredFile, register_access_policy
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.register.models import Building, Landlord, Unit

PHOTO_KIND = "inspection_photo"
ENERGY_LABELS = ("A++", "A+", "A", "B", "C", "D", "E", "F", "G")


class CheckResult(StrEnum):
    OK = "ok"
    DEFECT = "defect"
    NOT_APPLICABLE = "not_applicable"


CHECK_RESULT: dict[CheckResult, str] = {
    CheckResult.OK: lazy("In order"),
    CheckResult.DEFECT: lazy("Defect found"),
    CheckResult.NOT_APPLICABLE: lazy("Not applicable"),
}

# Safety and salubrity items of the checklist: column name -> what the inspector checks.
CHECK_ITEMS: dict[str, str] = {
    "electricity": lazy("Electrical installation"),
    "gas": lazy("Gas installation and heating"),
    "humidity": lazy("Humidity and mould"),
    "ventilation": lazy("Ventilation"),
    "windows": lazy("Windows and doors"),
    "stairs": lazy("Stairs and railings"),
}


def _check_column() -> Mapped[CheckResult | None]:
    return mapped_column(
        Enum(
            CheckResult,
            name="check_result",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        ),
        nullable=True,
    )


class InspectionReport(Base):
    __tablename__ = "inspection_report"
    __table_args__ = (
        CheckConstraint(
            "smoke_detectors_count IS NULL OR smoke_detectors_count >= 0", name="smoke_detectors"
        ),
        CheckConstraint(
            "(meter_electricity_kwh IS NULL OR meter_electricity_kwh >= 0)"
            " AND (meter_gas_m3 IS NULL OR meter_gas_m3 >= 0)"
            " AND (meter_water_m3 IS NULL OR meter_water_m3 >= 0)",
            name="meters_not_negative",
        ),
    )

    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    inspector_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Wall-clock date and time of the visit where the flat is (no time zone: a visit is local).
    scheduled_on: Mapped[date] = mapped_column(Date, index=True)
    scheduled_time: Mapped[time] = mapped_column(Time)
    completed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    completed_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    electricity: Mapped[CheckResult | None] = _check_column()
    gas: Mapped[CheckResult | None] = _check_column()
    humidity: Mapped[CheckResult | None] = _check_column()
    ventilation: Mapped[CheckResult | None] = _check_column()
    windows: Mapped[CheckResult | None] = _check_column()
    stairs: Mapped[CheckResult | None] = _check_column()
    smoke_detectors_count: Mapped[int | None] = mapped_column(Integer)
    smoke_detectors_ok: Mapped[bool | None] = mapped_column(Boolean)
    energy_label: Mapped[str | None] = mapped_column(String(3))
    # Meter readings at the visit, kept for the move-in inventory (not money: floats are fine).
    meter_electricity_kwh: Mapped[float | None] = mapped_column(Float)
    meter_gas_m3: Mapped[float | None] = mapped_column(Float)
    meter_water_m3: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def defects(self) -> list[str]:
        """The checklist items found defective (untranslated labels)."""
        return [
            label
            for item, label in CHECK_ITEMS.items()
            if getattr(self, item) is CheckResult.DEFECT
        ]


async def open_report(session: AsyncSession, unit_id: UUID) -> InspectionReport | None:
    """The scheduled visit not yet recorded, if any."""
    report: InspectionReport | None = await session.scalar(
        select(InspectionReport)
        .where(InspectionReport.unit_id == unit_id, InspectionReport.completed_at.is_(None))
        .order_by(InspectionReport.created_at.desc())
        .limit(1)
    )
    return report


async def latest_report(session: AsyncSession, unit_id: UUID) -> InspectionReport | None:
    report: InspectionReport | None = await session.scalar(
        select(InspectionReport)
        .where(InspectionReport.unit_id == unit_id)
        .order_by(InspectionReport.created_at.desc())
        .limit(1)
    )
    return report


async def photos_of(session: AsyncSession, report_id: UUID) -> list[StoredFile]:
    rows = await session.scalars(
        select(StoredFile)
        .where(StoredFile.owner_kind == PHOTO_KIND, StoredFile.owner_id == str(report_id))
        .order_by(StoredFile.created_at)
    )
    return list(rows)


async def _staff_of_the_agency(
    session: AsyncSession, user: CurrentUser, stored: StoredFile
) -> bool:
    """Inspection photos show the inside of someone's home: the agency's staff only."""
    if not user.is_staff:
        return False
    try:
        report_id = UUID(stored.owner_id)
    except ValueError:
        return False
    agency_id = await session.scalar(
        select(Landlord.agency_id)
        .join(Building, Building.landlord_id == Landlord.id)
        .join(Unit, Unit.building_id == Building.id)
        .join(InspectionReport, InspectionReport.unit_id == Unit.id)
        .where(InspectionReport.id == report_id)
    )
    return agency_id is not None and (user.agency_id is None or user.agency_id == agency_id)


register_access_policy(PHOTO_KIND, _staff_of_the_agency)

audit.register_entity(
    "inspection_report",
    fields={
        "unit_id",
        "inspector_id",
        "scheduled_on",
        "scheduled_time",
        "completed_at",
        *CHECK_ITEMS,
        "smoke_detectors_count",
        "smoke_detectors_ok",
        "energy_label",
        "meter_electricity_kwh",
        "meter_gas_m3",
        "meter_water_m3",
    },
)
