"""Writing a landlord's buildings and units: every check runs before anything is written.

Pages and the JSON API call the same ``validate_*`` functions, then ``write_*`` only when no
error was found, so bad input stores nothing. The address is checked through ``sra.geo``
(an unknown postcode is an error beside the postcode); the coordinates go on the building.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.packages import GuaranteePackage
from landlord_portal.listing_forms import BUILDING_FIELDS, UNIT_FIELDS, check_building, check_unit
from sra import audit
from sra.geo import Geocoder, GeoPoint
from sra.geo.postcodes import normalise_postcode, postcode_problem
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.unit_status import move_unit

# The landlord may change a unit only before the agency has started on it.
EDITABLE = frozenset({UnitStatus.DRAFT})


class ListingInvalid(Exception):
    """Bad input; ``errors`` maps a field name to a message in the current language."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


async def validate_building(
    geocoder: Geocoder, values: dict[str, Any], errors: Errors
) -> GeoPoint | None:
    """Add the rule and address errors to ``errors``; the coordinates when the address is known.

    ``values["postcode"]`` is replaced by its canonical form (``00-001``, ``11000``).
    """
    errors.update({k: v for k, v in check_building(values).items() if k not in errors})
    address_fields = ("postcode", "municipality", "country")
    if any(name in errors for name in address_fields):
        return None
    problem = postcode_problem(values["postcode"], values["country"])
    if problem is not None:
        errors["postcode"] = _(problem)
        return None
    values["postcode"] = normalise_postcode(values["postcode"], values["country"])
    point = await geocoder.locate(values["postcode"], values["municipality"], values["country"])
    if point is None:
        errors["postcode"] = _(
            "We do not know the postcode {postcode} in {municipality}. Please check the "
            "postcode and the municipality."
        ).format(postcode=values["postcode"], municipality=values["municipality"])
    return point


async def validate_unit(
    session: AsyncSession,
    landlord: Landlord,
    values: Mapping[str, Any],
    errors: Errors,
    *,
    building_id: UUID | None,
    unit_id: UUID | None = None,
) -> None:
    """Add the rule, package and name errors for a unit of ``building_id`` to ``errors``."""
    errors.update({k: v for k, v in check_unit(values).items() if k not in errors})
    package_id = values.get("package_id")
    if (
        package_id is not None
        and "package_id" not in errors
        and await chosen_package(session, landlord.agency_id, package_id) is None
    ):
        errors["package_id"] = _("Please choose one of the packages listed.")
    label = values.get("label")
    if building_id is not None and label and "label" not in errors:
        query = select(Unit.id).where(Unit.building_id == building_id, Unit.label == label)
        if unit_id is not None:
            query = query.where(Unit.id != unit_id)
        if await session.scalar(query) is not None:
            errors["label"] = _("This building already has a flat with this name.")


async def active_packages(session: AsyncSession, agency_id: UUID) -> list[GuaranteePackage]:
    rows = await session.scalars(
        select(GuaranteePackage)
        .where(GuaranteePackage.agency_id == agency_id, GuaranteePackage.active.is_(True))
        .order_by(GuaranteePackage.name)
    )
    return list(rows)


async def chosen_package(
    session: AsyncSession, agency_id: UUID, package_id: UUID
) -> GuaranteePackage | None:
    package: GuaranteePackage | None = await session.scalar(
        select(GuaranteePackage).where(
            GuaranteePackage.id == package_id,
            GuaranteePackage.agency_id == agency_id,
            GuaranteePackage.active.is_(True),
        )
    )
    return package


async def write_building(
    session: AsyncSession,
    landlord: Landlord,
    values: Mapping[str, Any],
    point: GeoPoint | None,
    *,
    actor: CurrentUser,
    building: Building | None = None,
) -> Building:
    before = _snapshot(building, BUILDING_FIELDS) if building is not None else None
    if building is None:
        building = Building(landlord_id=landlord.id)
        session.add(building)
    for name in BUILDING_FIELDS:
        if name in values:
            setattr(building, name, values[name])
    if point is not None:
        building.lat, building.lon = point.lat, point.lon
    await session.flush()
    await _audit(
        session, actor, "building", building.id, before, _snapshot(building, BUILDING_FIELDS)
    )
    return building


async def write_unit(
    session: AsyncSession,
    building: Building,
    values: Mapping[str, Any],
    *,
    actor: CurrentUser,
    unit: Unit | None = None,
) -> Unit:
    before = _snapshot(unit, UNIT_FIELDS) if unit is not None else None
    if unit is None:
        unit = Unit(building_id=building.id, status=UnitStatus.DRAFT)
        session.add(unit)
    for name in UNIT_FIELDS:
        if name in values:
            setattr(unit, name, values[name])
    await session.flush()
    await _audit(session, actor, "unit", unit.id, before, _snapshot(unit, UNIT_FIELDS))
    return unit


def _snapshot(record: Building | Unit, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in fields}


async def _audit(
    session: AsyncSession,
    actor: CurrentUser,
    entity: str,
    entity_id: UUID,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action=f"{entity}.{'create' if before is None else 'update'}",
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )


def submit_problems(unit: Unit) -> Errors:
    """What is still missing before the agency can take the unit in."""
    errors: Errors = {}
    if unit.proposed_rent_cents is None:
        errors["proposed_rent_cents"] = _("Please propose a monthly rent before sending.")
    if unit.package_id is None:
        errors["package_id"] = _("Please choose a guarantee package before sending.")
    return errors


async def submit_unit(session: AsyncSession, unit: Unit, actor: CurrentUser) -> None:
    """``draft -> submitted`` (H4's state machine records, audits and notifies)."""
    problems = submit_problems(unit)
    if problems:
        raise ListingInvalid(problems)
    await move_unit(session, unit, UnitStatus.SUBMITTED, actor=actor)


async def revise_unit(session: AsyncSession, unit: Unit, actor: CurrentUser) -> None:
    """A rejected unit goes back to draft so the landlord can change it and send it again."""
    await move_unit(session, unit, UnitStatus.DRAFT, actor=actor)


def above_cap(unit: Unit, cap_cents: int | None) -> bool:
    return cap_cents is not None and (unit.proposed_rent_cents or 0) > cap_cents


async def own_unit(session: AsyncSession, landlord: Landlord, unit_id: UUID) -> Unit | None:
    """The unit with its building, only when it belongs to ``landlord``."""
    unit: Unit | None = await session.scalar(
        select(Unit)
        .join(Building, Building.id == Unit.building_id)
        .where(Unit.id == unit_id, Building.landlord_id == landlord.id)
        .options(selectinload(Unit.building))
    )
    return unit


async def own_building(
    session: AsyncSession, landlord: Landlord, building_id: UUID
) -> Building | None:
    """The building with its units, only when it belongs to ``landlord``."""
    building: Building | None = await session.scalar(
        select(Building)
        .where(Building.id == building_id, Building.landlord_id == landlord.id)
        .options(selectinload(Building.units))
    )
    return building


def building_editable(building: Building) -> bool:
    """The address can change while none of its units is with the agency."""
    return all(unit.status in (UnitStatus.DRAFT, UnitStatus.REJECTED) for unit in building.units)
