"""What the listing pages show: form values, choices and the unit page's context."""

from __future__ import annotations

from typing import Any

from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.packages import GuaranteePackage, describe
from landlord_portal.listing_forms import COUNTRIES, ENERGY_LABELS
from landlord_portal.listings import (
    above_cap,
    active_packages,
    building_editable,
    chosen_package,
    own_building,
)
from landlord_portal.wording import UNIT_STATUS_FOR_LANDLORD
from sra.i18n import current_locale
from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.register import labels
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.photos import MAX_BYTES, photos_of
from sra.register.queries import agency_currency, buildings_of_landlord
from sra.register.rent_caps import UNIT_TYPE_LABELS, UnitType, cap_for_unit
from sra.register.unit_status import history


def choose_building_message() -> str:
    return _("Please choose one of your buildings, or a new building.")


def choose_photo_message() -> str:
    return _("Please choose a photo to upload.")


def not_editable_message() -> str:
    return _("The agency is already working on this flat, so it can no longer be changed here.")


def countries() -> list[tuple[str, str]]:
    from babel import Locale

    territories = Locale.parse(current_locale()).territories
    return [(code, str(territories.get(code, code))) for code in COUNTRIES]


def unit_types() -> list[tuple[str, str]]:
    return [(kind.value, _(UNIT_TYPE_LABELS[kind])) for kind in UnitType]


def _amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def blank_values(landlord: Landlord) -> dict[str, Any]:
    return {
        "country": landlord.country or "BE",
        "floors": "1",
        "unit_type": UnitType.APARTMENT.value,
        "floor": "0",
        "bedrooms": "1",
        "min_occupants": "1",
        "max_occupants": "2",
        "charges": "0",
    }


def unit_values(unit: Unit) -> dict[str, Any]:
    """The unit as the form shows it (strings; booleans stay booleans for the checkboxes)."""
    return {
        "label": unit.label,
        "unit_type": unit.unit_type.value,
        "floor": str(unit.floor),
        "bedrooms": str(unit.bedrooms),
        "surface_m2": "" if unit.surface_m2 is None else str(unit.surface_m2),
        "min_occupants": str(unit.min_occupants),
        "max_occupants": str(unit.max_occupants),
        "step_free": unit.step_free,
        "wheelchair_accessible": unit.wheelchair_accessible,
        "furnished": unit.furnished,
        "energy_label": unit.energy_label or "",
        "proposed_rent": _amount(unit.proposed_rent_cents),
        "charges": _amount(unit.charges_cents),
        "available_from": unit.available_from.isoformat() if unit.available_from else "",
        "description": unit.description,
        "package_id": str(unit.package_id) if unit.package_id else "",
    }


def building_values(building: Building) -> dict[str, Any]:
    return {
        "street": building.street,
        "postcode": building.postcode,
        "municipality": building.municipality,
        "country": building.country,
        "floors": str(building.floors),
        "has_lift": building.has_lift,
    }


async def _choices(session: AsyncSession, landlord: Landlord) -> dict[str, Any]:
    packages = await active_packages(session, landlord.agency_id)
    return {
        "unit_types": unit_types(),
        "energy_labels": [(label, label) for label in ENERGY_LABELS],
        "packages": [(package, describe(package)) for package in packages],
        "countries": countries(),
        "currency": await agency_currency(session, landlord.agency_id),
    }


async def new_unit_page(
    session: AsyncSession,
    landlord: Landlord,
    values: dict[str, Any],
    errors: Errors,
    *,
    status_code: int = 200,
) -> Template:
    buildings = await buildings_of_landlord(session, landlord.id)
    return Template(
        "landlord/unit_new.html",
        context={
            "values": values,
            "errors": errors,
            "buildings": [(str(b.id), b.address) for b in buildings],
            **await _choices(session, landlord),
        },
        status_code=status_code,
    )


async def edit_unit_page(
    session: AsyncSession,
    landlord: Landlord,
    unit: Unit,
    values: dict[str, Any],
    errors: Errors,
    *,
    status_code: int = 200,
) -> Template:
    return Template(
        "landlord/unit_edit.html",
        context={"unit": unit, "values": values, "errors": errors}
        | await _choices(session, landlord),
        status_code=status_code,
    )


def building_page(
    building: Building, values: dict[str, Any], errors: Errors, *, status_code: int = 200
) -> Template:
    return Template(
        "landlord/building_edit.html",
        context={
            "building": building,
            "editable": building_editable(building),
            "values": values,
            "errors": errors,
            "countries": countries(),
        },
        status_code=status_code,
    )


async def unit_detail_page(
    session: AsyncSession,
    landlord: Landlord,
    unit: Unit,
    *,
    errors: Errors | None = None,
    alerts: list[str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    cap = await cap_for_unit(session, landlord.agency_id, unit)
    package: GuaranteePackage | None = None
    if unit.package_id is not None:
        package = await chosen_package(session, landlord.agency_id, unit.package_id)
    changes = await history(session, unit.id)
    rejection = [c.reason for c in changes if c.to_status is UnitStatus.REJECTED]
    building = await own_building(session, landlord, unit.building_id)
    return Template(
        "landlord/unit.html",
        context={
            "unit": unit,
            "currency": await agency_currency(session, landlord.agency_id),
            "cap_cents": cap,
            "above_cap": above_cap(unit, cap),
            "package": package,
            "promises": describe(package) if package else [],
            "photos": await photos_of(session, unit.id),
            "history": changes,
            "rejection_reason": rejection[-1]
            if rejection and unit.status is UnitStatus.REJECTED
            else None,
            "building_editable": building is not None and building_editable(building),
            "status_label": labels.UNIT_STATUS,
            "status_help": UNIT_STATUS_FOR_LANDLORD,
            "unit_type_label": UNIT_TYPE_LABELS,
            "max_photo_mb": MAX_BYTES // (1024 * 1024),
            "errors": errors or {},
            "alerts": alerts or [],
            "notice": notice,
        },
        status_code=status_code,
    )
