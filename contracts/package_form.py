"""Reading and checking the administrator's package form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from contracts.packages import (
    DAMAGE_COVER_MONTHS,
    DURATION_YEARS,
    FEE_BASIS_POINTS,
    GuaranteePackage,
    PackageKind,
)
from sra.i18n import gettext as _
from sra.identity.forms import Errors

FIELDS = (
    "name",
    "kind",
    "duration_years",
    "vacancy_covered",
    "arrears_covered",
    "damage_cover_months",
    "management_fee_percent",
    "description",
)
PERCENT = re.compile(r"[0-9]{1,2}([.,][0-9]{1,2})?")


@dataclass(frozen=True, slots=True)
class PackageTerms:
    name: str
    kind: PackageKind
    duration_years: int
    vacancy_covered: bool
    arrears_covered: bool
    damage_cover_months: int
    management_fee_basis_points: int
    description: str


def read_package(values: Mapping[str, str]) -> tuple[PackageTerms | None, Errors]:
    errors: Errors = {}
    name = values.get("name", "")
    if not name or len(name) > 200:
        errors["name"] = _("Please give the package a name of at most 200 characters.")
    try:
        kind: PackageKind | None = PackageKind(values.get("kind", ""))
    except ValueError:
        kind = None
        errors["kind"] = _("Please choose a head lease or a management mandate.")
    duration = _whole(values.get("duration_years", ""), DURATION_YEARS)
    if duration is None:
        errors["duration_years"] = _("The duration is a whole number of years from 1 to 99.")
    damage = _whole(values.get("damage_cover_months", "") or "0", DAMAGE_COVER_MONTHS)
    if damage is None:
        errors["damage_cover_months"] = _(
            "The damage cover is a whole number of months' rent from 0 to 24."
        )
    fee = _basis_points(values.get("management_fee_percent", "") or "0")
    if fee is None:
        errors["management_fee_percent"] = _(
            "The management fee is a percentage from 0 to 50, for example 10 or 12.5."
        )
    description = values.get("description", "")
    if len(description) > 2000:
        errors["description"] = _("The description can be at most 2000 characters long.")
    if errors or kind is None or duration is None or damage is None or fee is None:
        return None, errors
    # A head lease pays the guaranteed rent whatever happens: empty flat and arrears included.
    head_lease = kind is PackageKind.HEAD_LEASE
    return PackageTerms(
        name=name,
        kind=kind,
        duration_years=duration,
        vacancy_covered=head_lease or bool(values.get("vacancy_covered")),
        arrears_covered=head_lease or bool(values.get("arrears_covered")),
        damage_cover_months=damage,
        management_fee_basis_points=fee,
        description=description,
    ), errors


def terms_dict(terms: PackageTerms) -> dict[str, Any]:
    return asdict(terms)


def package_values(package: GuaranteePackage) -> dict[str, str]:
    return {
        "name": package.name,
        "kind": package.kind.value,
        "duration_years": str(package.duration_years),
        "vacancy_covered": "yes" if package.vacancy_covered else "",
        "arrears_covered": "yes" if package.arrears_covered else "",
        "damage_cover_months": str(package.damage_cover_months),
        "management_fee_percent": package.fee_percent,
        "description": package.description,
    }


def _whole(text: str, bounds: tuple[int, int]) -> int | None:
    if not re.fullmatch(r"[0-9]{1,3}", text):
        return None
    number = int(text)
    return number if bounds[0] <= number <= bounds[1] else None


def _basis_points(text: str) -> int | None:
    """ "12.5" -> 1250, exactly (no floats)."""
    if not PERCENT.fullmatch(text):
        return None
    whole, _sep, fraction = text.replace(",", ".").partition(".")
    points = int(whole) * 100 + int((fraction + "00")[:2])
    return points if FEE_BASIS_POINTS[0] <= points <= FEE_BASIS_POINTS[1] else None
