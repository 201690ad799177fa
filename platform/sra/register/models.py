"""Register records (DOMAIN.md). Later issues add their own fields through migrations."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sra.db.base import Base


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class Agency(Base):
    __tablename__ = "agency"

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    default_locale: Mapped[str] = mapped_column(String(5), default="en")
    iban: Mapped[str | None] = mapped_column(String(34))


class LandlordKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    PUBLIC_BODY = "public_body"
    AGENCY = "agency"


class Landlord(Base):
    __tablename__ = "landlord"

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    kind: Mapped[LandlordKind] = mapped_column(_enum(LandlordKind, "landlord_kind"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)

    buildings: Mapped[list[Building]] = relationship(back_populates="landlord", lazy="raise")


class Building(Base):
    __tablename__ = "building"

    landlord_id: Mapped[UUID] = mapped_column(
        ForeignKey("landlord.id", ondelete="RESTRICT"), index=True
    )
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    municipality: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    floors: Mapped[int] = mapped_column(Integer, default=1)
    has_lift: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    landlord: Mapped[Landlord] = relationship(back_populates="buildings", lazy="raise")
    units: Mapped[list[Unit]] = relationship(back_populates="building", lazy="raise")


class UnitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INSPECTION_SCHEDULED = "inspection_scheduled"
    INSPECTED = "inspected"
    APPROVED = "approved"
    REJECTED = "rejected"
    AVAILABLE = "available"
    OFFERED = "offered"
    LET = "let"
    WITHDRAWN = "withdrawn"


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint("min_occupants >= 1 AND min_occupants <= max_occupants", name="occupants"),
        CheckConstraint("charges_cents >= 0", name="charges_not_negative"),
    )

    building_id: Mapped[UUID] = mapped_column(
        ForeignKey("building.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(String(50))
    floor: Mapped[int] = mapped_column(Integer, default=0)
    bedrooms: Mapped[int] = mapped_column(Integer, default=1)
    surface_m2: Mapped[int | None] = mapped_column(Integer)
    min_occupants: Mapped[int] = mapped_column(Integer, default=1)
    max_occupants: Mapped[int] = mapped_column(Integer, default=2)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    wheelchair_accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    energy_label: Mapped[str | None] = mapped_column(String(3))
    market_rent_cents: Mapped[int | None] = mapped_column(Integer)
    guaranteed_rent_cents: Mapped[int | None] = mapped_column(Integer)
    tenant_rent_cents: Mapped[int | None] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer, default=0)
    available_from: Mapped[date | None] = mapped_column(Date)
    status: Mapped[UnitStatus] = mapped_column(
        _enum(UnitStatus, "unit_status"), default=UnitStatus.DRAFT
    )
    description: Mapped[str] = mapped_column(Text, default="")

    building: Mapped[Building] = relationship(back_populates="units", lazy="raise")


class HouseholdStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACTIVE = "active"
    REJECTED = "rejected"
    OFFERED = "offered"
    HOUSED = "housed"
    INACTIVE = "inactive"
    WITHDRAWN = "withdrawn"


class SupportNeed(StrEnum):
    LIGHT = "light"
    REGULAR = "regular"
    INTENSIVE = "intensive"


class Household(Base):
    __tablename__ = "household"
    __table_args__ = (CheckConstraint("monthly_income_cents >= 0", name="income_not_negative"),)

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[HouseholdStatus] = mapped_column(
        _enum(HouseholdStatus, "household_status"), default=HouseholdStatus.DRAFT
    )
    monthly_income_cents: Mapped[int] = mapped_column(Integer, default=0)
    max_rent_cents: Mapped[int | None] = mapped_column(Integer)
    wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    max_distance_km: Mapped[float | None] = mapped_column(Float)
    support_need: Mapped[SupportNeed] = mapped_column(
        _enum(SupportNeed, "support_need"), default=SupportNeed.LIGHT
    )
    urgency: Mapped[int] = mapped_column(Integer, default=0)
    registered_on: Mapped[date] = mapped_column(Date)
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", lazy="raise", cascade="all, delete-orphan"
    )


class MemberRelation(StrEnum):
    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    OTHER = "other"


class HouseholdMember(Base):
    __tablename__ = "household_member"

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[MemberRelation] = mapped_column(_enum(MemberRelation, "member_relation"))
    birth_year: Mapped[int] = mapped_column(Integer)
    is_adult: Mapped[bool] = mapped_column(Boolean, default=True)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")
