"""Guarantee packages: what the agency promises a landlord, configured by the administrator.

A package is either a head lease (the agency rents the flat itself and pays the guaranteed
rent whatever happens) or a management mandate (the agency lets the flat in the owner's name;
the package says which losses its guarantee fund covers). ``describe`` turns a package into
plain-words promises for the landlord, translated into the current locale.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base
from sra.i18n import gettext as _
from sra.i18n import lazy, ngettext

DURATION_YEARS = (1, 99)
DAMAGE_COVER_MONTHS = (0, 24)
FEE_BASIS_POINTS = (0, 5000)


class PackageKind(StrEnum):
    HEAD_LEASE = "head_lease"
    MANDATE = "mandate"


PACKAGE_KIND_LABEL: dict[PackageKind, str] = {
    PackageKind.HEAD_LEASE: lazy("Head lease"),
    PackageKind.MANDATE: lazy("Management mandate"),
}


class GuaranteePackage(Base):
    __tablename__ = "guarantee_package"
    __table_args__ = (
        CheckConstraint("duration_years >= 1 AND duration_years <= 99", name="duration"),
        CheckConstraint(
            "damage_cover_months >= 0 AND damage_cover_months <= 24", name="damage_cover"
        ),
        CheckConstraint(
            "management_fee_basis_points >= 0 AND management_fee_basis_points <= 5000",
            name="management_fee",
        ),
    )

    agency_id: Mapped[UUID] = mapped_column(
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PackageKind] = mapped_column(
        Enum(
            PackageKind,
            name="package_kind",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    duration_years: Mapped[int] = mapped_column(Integer, default=9)
    # Head leases pay the guaranteed rent in every case; these flags matter for mandates.
    vacancy_covered: Mapped[bool] = mapped_column(Boolean, default=False)
    arrears_covered: Mapped[bool] = mapped_column(Boolean, default=False)
    damage_cover_months: Mapped[int] = mapped_column(Integer, default=0)
    # 1000 basis points = 10 % of the rent collected.
    management_fee_basis_points: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def fee_percent(self) -> str:
        """The fee as a percentage for display: 1000 -> "10", 1250 -> "12.5"."""
        whole, rest = divmod(self.management_fee_basis_points, 100)
        return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")


def describe(package: GuaranteePackage) -> list[str]:
    """The package's promises in plain words, translated into the current locale."""
    promises = [
        ngettext(
            "The agreement runs for %(num)d year.",
            "The agreement runs for %(num)d years.",
            package.duration_years,
        )
        % {"num": package.duration_years}
    ]
    if package.kind is PackageKind.HEAD_LEASE:
        promises.append(
            _(
                "The agency rents the flat from you and lets it to a household itself."
                " The agency pays you the guaranteed rent every month, also while the flat"
                " is empty or the tenant does not pay."
            )
        )
    else:
        promises.append(
            _(
                "The agency lets the flat in your name and manages it for you:"
                " it finds the household, collects the rent and passes it on to you."
            )
        )
        promises.append(
            _("While the flat is empty, the agency pays you the rent.")
            if package.vacancy_covered
            else _("While the flat is empty, no rent is paid to you.")
        )
        promises.append(
            _("If the tenant does not pay, the agency's guarantee fund pays you the rent.")
            if package.arrears_covered
            else _(
                "If the tenant does not pay, the agency recovers the rent but does not advance it."
            )
        )
    if package.damage_cover_months:
        promises.append(
            ngettext(
                "Damage caused by the tenant beyond normal wear is repaired up to"
                " %(num)d month of rent.",
                "Damage caused by the tenant beyond normal wear is repaired up to"
                " %(num)d months of rent.",
                package.damage_cover_months,
            )
            % {"num": package.damage_cover_months}
        )
    promises.append(
        _("At the end, the agency returns the flat in the state it was in at the start.")
    )
    if package.management_fee_basis_points:
        promises.append(
            _("The agency keeps a management fee of %(percent)s %% of the rent.")
            % {"percent": package.fee_percent}
        )
    else:
        promises.append(_("The agency charges you no management fee."))
    return promises


async def packages_of_agency(
    session: AsyncSession, agency_id: UUID, *, active_only: bool = False
) -> list[GuaranteePackage]:
    """The agency's packages, active first, then by name."""
    query = select(GuaranteePackage).where(GuaranteePackage.agency_id == agency_id)
    if active_only:
        query = query.where(GuaranteePackage.active.is_(True))
    rows = await session.scalars(
        query.order_by(GuaranteePackage.active.desc(), GuaranteePackage.name)
    )
    return list(rows)


async def active_packages(session: AsyncSession, agency_id: UUID) -> list[GuaranteePackage]:
    """What a landlord of the agency can choose for a unit."""
    return await packages_of_agency(session, agency_id, active_only=True)


async def package_of_agency(
    session: AsyncSession, agency_id: UUID, package_id: UUID
) -> GuaranteePackage | None:
    """One package, only when it is the agency's (None otherwise: the caller answers 404)."""
    package: GuaranteePackage | None = await session.scalar(
        select(GuaranteePackage).where(
            GuaranteePackage.id == package_id, GuaranteePackage.agency_id == agency_id
        )
    )
    return package


audit.register_entity(
    "guarantee_package",
    fields={
        "agency_id",
        "name",
        "kind",
        "duration_years",
        "vacancy_covered",
        "arrears_covered",
        "damage_cover_months",
        "management_fee_basis_points",
        "description",
        "active",
    },
)
