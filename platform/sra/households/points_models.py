"""The tables of the points register: the agency's scheme versions and each household's points.

The services that write them live in :mod:`sra.households.points_store`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.households.points import SchemeRules, ScoreLine, rules_from_json
from sra.i18n import lazy


class SchemeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


SCHEME_STATUS: dict[SchemeStatus, str] = {
    SchemeStatus.DRAFT: lazy("Draft"),
    SchemeStatus.ACTIVE: lazy("Active"),
    SchemeStatus.RETIRED: lazy("Retired"),
}


class PointsScheme(Base):
    __tablename__ = "points_scheme"
    __table_args__ = (
        UniqueConstraint("agency_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        # One active scheme per agency (the service retires the old one first).
        Index(
            "uq_points_scheme_one_active",
            "agency_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    agency_id: Mapped[UUID] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[SchemeStatus] = mapped_column(
        Enum(
            SchemeStatus,
            name="points_scheme_status",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=SchemeStatus.DRAFT,
    )
    activated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    activated_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    @property
    def scheme_rules(self) -> SchemeRules:
        return rules_from_json(self.rules)


class HouseholdPoints(Base):
    """One computation of one household's points: kept as history, never edited."""

    __tablename__ = "household_points"
    __table_args__ = (
        CheckConstraint("raw_total >= 0 AND max_total >= 0", name="totals_not_negative"),
        CheckConstraint("urgency >= 0 AND urgency <= 1000", name="urgency_range"),
        Index(
            "uq_household_points_current",
            "household_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    scheme_id: Mapped[UUID] = mapped_column(
        ForeignKey("points_scheme.id", ondelete="RESTRICT"), index=True
    )
    computed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    raw_total: Mapped[int] = mapped_column(Integer)
    max_total: Mapped[int] = mapped_column(Integer)
    urgency: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def score_lines(self) -> list[ScoreLine]:
        return msgspec.convert(self.lines, list[ScoreLine])


audit.register_entity(
    "points_scheme",
    fields={"agency_id", "version", "name", "rules", "status", "activated_at", "activated_by"}
    | {"households_recomputed", "retired_version"},
)
audit.register_entity(
    "household_points",
    fields={"household_id", "scheme_id", "raw_total", "max_total", "urgency"},
)
