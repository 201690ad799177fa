"""Register records (DOMAIN.md). Later issues add their own fields through migrations.

Checks live in two places on purpose: the database refuses impossible rows (CHECK and
UNIQUE constraints, on SQLite and PostgreSQL alike) and the ``validates`` hooks refuse a bad
country code or IBAN as soon as it is assigned, with a message a form can show.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from sra import audit
from sra.db.base import Base
from sra.register.countries import check_country
from sra.register.rent_caps import UnitType

ADULT_AGE = 18
CURRENCIES = ("EUR", "PLN", "CZK")


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


def _country_check(column: str = "country") -> CheckConstraint:
    return CheckConstraint(
        f"length({column}) = 2 AND upper({column}) = {column}", name=f"{column}_iso"
    )


def _coordinates_check() -> CheckConstraint:
    return CheckConstraint(
        "(lat IS NULL OR (lat >= -90 AND lat <= 90))"
        " AND (lon IS NULL OR (lon >= -180 AND lon <= 180))",
        name="coordinates",
    )


def normalise_iban(value: str | None) -> str | None:
    """The IBAN in compact form (no spaces, upper case), or ValueError when its checksum fails."""
    if value is None or not value.strip():
        return None
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return str(IBAN(value).compact)
    except SchwiftyException as exc:
        raise ValueError(f"not a valid IBAN: {exc}") from None


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = (
        _country_check(),
        CheckConstraint("currency IN ('EUR', 'PLN', 'CZK')", name="currency"),
    )

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    default_locale: Mapped[str] = mapped_column(String(5), default="en")
    iban: Mapped[str | None] = mapped_column(String(34))
    # Annual renewal of household profiles: reminders start this many days before the due
    # date; an unconfirmed profile goes inactive this many days after it.
    renewal_reminder_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    renewal_grace_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")

    @validates("country")
    def _check_country(self, _key: str, value: str) -> str:
        return check_country(value)

    @validates("currency")
    def _check_currency(self, _key: str, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"currency must be one of {', '.join(CURRENCIES)}, got {value!r}")
        return value

    @validates("iban")
    def _check_iban(self, _key: str, value: str | None) -> str | None:
        return normalise_iban(value)


class LandlordKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    PUBLIC_BODY = "public_body"
    AGENCY = "agency"


class Landlord(Base):
    __tablename__ = "landlord"
    __table_args__ = (
        CheckConstraint(
            "country IS NULL OR (length(country) = 2 AND upper(country) = country)",
            name="country_iso",
        ),
    )

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
    # Postal address of the landlord (not of a flat): letters and contracts go there.
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    municipality: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    # Companies: enterprise number (BE), NIP (PL) or IČO (CZ), stored compact.
    company_number: Mapped[str | None] = mapped_column(String(20))
    # The account payouts go to. Changed after onboarding only through an approved
    # contracts.payout_accounts.PayoutAccountChange.
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Set when the landlord first saves a complete profile (onboarding done).
    profile_completed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    buildings: Mapped[list[Building]] = relationship(back_populates="landlord", lazy="raise")

    @validates("iban")
    def _check_iban(self, _key: str, value: str | None) -> str | None:
        return normalise_iban(value)

    @validates("country")
    def _check_country(self, _key: str, value: str | None) -> str | None:
        return None if value is None else check_country(value)

    @property
    def profile_complete(self) -> bool:
        return self.profile_completed_at is not None

    @property
    def address(self) -> str:
        return ", ".join(
            part
            for part in (self.street, f"{self.postcode or ''} {self.municipality or ''}".strip())
            if part
        )


class Building(Base):
    __tablename__ = "building"
    __table_args__ = (
        _country_check(),
        _coordinates_check(),
        CheckConstraint("floors >= 1", name="floors"),
    )

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

    @validates("country")
    def _check_country(self, _key: str, value: str) -> str:
        return check_country(value)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.municipality}"


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
        UniqueConstraint("building_id", "label"),
        CheckConstraint(
            "min_occupants >= 1 AND min_occupants <= max_occupants AND max_occupants <= 20",
            name="occupants",
        ),
        CheckConstraint("bedrooms >= 0", name="bedrooms_not_negative"),
        CheckConstraint("surface_m2 IS NULL OR surface_m2 > 0", name="surface_positive"),
        CheckConstraint("charges_cents >= 0", name="charges_not_negative"),
        CheckConstraint(
            "(market_rent_cents IS NULL OR market_rent_cents >= 0)"
            " AND (proposed_rent_cents IS NULL OR proposed_rent_cents >= 0)"
            " AND (guaranteed_rent_cents IS NULL OR guaranteed_rent_cents >= 0)"
            " AND (tenant_rent_cents IS NULL OR tenant_rent_cents >= 0)",
            name="rents_not_negative",
        ),
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
    # The landlord's asking rent; the agency sets guaranteed and tenant rent at approval.
    market_rent_cents: Mapped[int | None] = mapped_column(Integer)
    proposed_rent_cents: Mapped[int | None] = mapped_column(Integer)
    guaranteed_rent_cents: Mapped[int | None] = mapped_column(Integer)
    tenant_rent_cents: Mapped[int | None] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer, default=0)
    available_from: Mapped[date | None] = mapped_column(Date)
    status: Mapped[UnitStatus] = mapped_column(
        _enum(UnitStatus, "unit_status"), default=UnitStatus.DRAFT
    )
    description: Mapped[str] = mapped_column(Text, default="")
    unit_type: Mapped[UnitType] = mapped_column(
        _enum(UnitType, "unit_type"), default=UnitType.APARTMENT
    )
    furnished: Mapped[bool] = mapped_column(Boolean, default=False)
    # The guarantee package the landlord chose (contracts.packages; a name, not an import).
    package_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("guarantee_package.id", ondelete="RESTRICT"), index=True
    )

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
    __table_args__ = (
        CheckConstraint("monthly_income_cents >= 0", name="income_not_negative"),
        CheckConstraint("max_rent_cents IS NULL OR max_rent_cents >= 0", name="max_rent"),
        CheckConstraint("urgency >= 0 AND urgency <= 1000", name="urgency_range"),
        CheckConstraint(
            "ethos_category IS NULL OR (ethos_category >= 1 AND ethos_category <= 13)",
            name="ethos_category",
        ),
        CheckConstraint(
            "max_distance_km IS NULL OR (max_distance_km > 0 AND max_distance_km <= 1000)",
            name="max_distance",
        ),
        CheckConstraint(
            "current_rent_cents IS NULL OR current_rent_cents >= 0", name="current_rent"
        ),
    )

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
    ground_floor: Mapped[bool] = mapped_column(Boolean, default=False)
    max_distance_km: Mapped[float | None] = mapped_column(Float)
    # Situation: the ETHOS operational category (1 roofless .. 13 extreme overcrowding) and
    # the facts the agency's points scheme looks at.
    ethos_category: Mapped[int | None] = mapped_column(Integer)
    displaced: Mapped[bool] = mapped_column(Boolean, default=False)
    eviction_threat: Mapped[bool] = mapped_column(Boolean, default=False)
    support_need: Mapped[SupportNeed] = mapped_column(
        _enum(SupportNeed, "support_need"), default=SupportNeed.LIGHT
    )
    # Priority points, 0..1000: the solver's ``urgency``.
    urgency: Mapped[int] = mapped_column(Integer, default=0)
    registered_on: Mapped[date] = mapped_column(Date)
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Needs and situation beyond the solver's fields (the points scheme reads these).
    other_needs: Mapped[str | None] = mapped_column(Text)  # free text, read by staff only
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    eviction_date: Mapped[date | None] = mapped_column(Date)
    current_rent_cents: Mapped[int | None] = mapped_column(Integer)
    local_tie: Mapped[bool] = mapped_column(Boolean, default=False)
    # The verification: who verified the facts, when, and the facts as verified
    # (sra.households.facts.HouseholdFacts as a dict). Points are computed from these only.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    verified_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    verified_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    verified_facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Annual renewal: the household confirms its profile by this date.
    renewal_due_on: Mapped[date | None] = mapped_column(Date)
    renewal_reminded_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Data protection: an erasure asked for, and done (the record is then pseudonymised).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="HouseholdMember.birth_year",
    )
    preferred_areas: Mapped[list[PreferredArea]] = relationship(
        back_populates="household", lazy="raise", cascade="all, delete-orphan"
    )
    incomes: Mapped[list[HouseholdIncome]] = relationship(
        back_populates="household",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="HouseholdIncome.created_at",
    )

    def adults_in(self, year: int) -> int:
        return sum(1 for m in self.members if m.age_in(year) >= ADULT_AGE)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def adults(self) -> int:
        """Members aged 18 or more this year (derived: children grow up)."""
        return self.adults_in(date.today().year)

    @property
    def children(self) -> int:
        return self.size - self.adults

    @property
    def high_support(self) -> bool:
        """The solver's ``high_support``: intensive support (Housing First)."""
        return self.support_need is SupportNeed.INTENSIVE


class MemberRelation(StrEnum):
    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    OTHER = "other"


class HouseholdMember(Base):
    __tablename__ = "household_member"
    __table_args__ = (
        CheckConstraint("birth_year >= 1900 AND birth_year <= 2199", name="birth_year"),
    )

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[MemberRelation] = mapped_column(_enum(MemberRelation, "member_relation"))
    birth_year: Mapped[int] = mapped_column(Integer)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")

    def age_in(self, year: int) -> int:
        """Age reached during ``year``: only the birth year is kept (data minimisation)."""
        return year - self.birth_year

    @property
    def is_adult(self) -> bool:
        return self.age_in(date.today().year) >= ADULT_AGE


class IncomeSource(StrEnum):
    WORK = "work"
    BENEFITS = "benefits"
    UNEMPLOYMENT = "unemployment"
    PENSION = "pension"
    DISABILITY_ALLOWANCE = "disability_allowance"
    CHILD_BENEFIT = "child_benefit"
    MAINTENANCE = "maintenance"
    OTHER = "other"


class HouseholdIncome(Base):
    """One monthly income of the household, by source; ``Household.monthly_income_cents`` is
    their sum (kept by the profile service, read by the solver and the points scheme)."""

    __tablename__ = "household_income"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[IncomeSource] = mapped_column(_enum(IncomeSource, "income_source"))
    amount_cents: Mapped[int] = mapped_column(Integer)

    household: Mapped[Household] = relationship(back_populates="incomes", lazy="raise")


class PreferredArea(Base):
    """A place the household wants to live near: the solver's ``preferred_locations``."""

    __tablename__ = "preferred_area"
    __table_args__ = (_coordinates_check(),)

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)

    household: Mapped[Household] = relationship(back_populates="preferred_areas", lazy="raise")


audit.register_entity(
    "landlord",
    fields={"agency_id", "user_id", "kind", "name", "email", "phone", "locale", "iban", "bic"}
    | {"street", "postcode", "municipality", "country", "company_number"}
    | {"consent_given", "consent_given_at", "profile_completed_at"},
    personal={"name", "email", "phone", "iban", "bic", "street", "postcode", "municipality"},
)
audit.register_entity(
    "building",
    fields={"landlord_id", "street", "postcode", "municipality", "country", "floors", "has_lift"}
    | {"lat", "lon"},
)
audit.register_entity(
    "unit",
    fields={
        "building_id",
        "label",
        "floor",
        "bedrooms",
        "surface_m2",
        "min_occupants",
        "max_occupants",
        "step_free",
        "wheelchair_accessible",
        "energy_label",
        "market_rent_cents",
        "proposed_rent_cents",
        "guaranteed_rent_cents",
        "tenant_rent_cents",
        "charges_cents",
        "available_from",
        "status",
        "unit_type",
        "furnished",
        "package_id",
        "description",
    },
)
audit.register_entity(
    "household",
    fields={
        "agency_id",
        "user_id",
        "reference",
        "name",
        "email",
        "phone",
        "locale",
        "status",
        "monthly_income_cents",
        "max_rent_cents",
        "wheelchair",
        "step_free",
        "ground_floor",
        "max_distance_km",
        "ethos_category",
        "displaced",
        "eviction_threat",
        "support_need",
        "urgency",
        "registered_on",
        "consent_given",
        "consent_given_at",
        "disability",
        "eviction_date",
        "current_rent_cents",
        "local_tie",
        "submitted_at",
        "verified_at",
        "verified_by",
        "renewal_due_on",
        "erasure_requested_at",
        "erased_at",
    },
    personal={
        "name",
        "email",
        "phone",
        "monthly_income_cents",
        "ethos_category",
        "eviction_date",
        "current_rent_cents",
        # Health and situation: special-category data, gone from the log with an erasure.
        "wheelchair",
        "step_free",
        "ground_floor",
        "disability",
        "displaced",
        "eviction_threat",
        "support_need",
        "local_tie",
    },
)
audit.register_entity(
    "household_income",
    fields={"household_id", "source", "amount_cents"},
    personal={"amount_cents"},
)
audit.register_entity(
    "household_member",
    fields={"household_id", "first_name", "relation", "birth_year"},
    personal={"first_name", "birth_year"},
)
