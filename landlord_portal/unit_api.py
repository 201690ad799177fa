"""``/api/v1/units``: the same listings as the pages, with the same checks and scoping.

A landlord lists, reads, creates (with a new or an own building) and changes (while draft) their
own units; intake and allocation officers read the units of their agency. Bad input answers
400 ``application/problem+json`` with ``errors: [{key, message, source}]`` per field; another
party's unit answers 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from landlord_portal.listing_forms import BUILDING_FIELDS, UNIT_FIELDS
from landlord_portal.listings import (
    EDITABLE,
    own_building,
    own_unit,
    validate_building,
    validate_unit,
    write_building,
    write_unit,
)
from sra.geo import geocoder_for
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.photos import UnitPhoto
from sra.register.queries import landlord_of_user
from sra.register.rent_caps import UnitType, cap_for
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _user

STAFF_READERS = (Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER)
UNSET: Any = msgspec.UNSET


class BuildingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    street: str
    postcode: str
    municipality: str
    country: str
    floors: int = 1
    has_lift: bool = False


class UnitIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new draft unit: in an own building (``building_id``) or a new one (``building``)."""

    building_id: UUID | None = None
    building: BuildingIn | None = None
    label: str
    unit_type: UnitType = UnitType.APARTMENT
    floor: int = 0
    bedrooms: int = 1
    surface_m2: int | None = None
    min_occupants: int = 1
    max_occupants: int = 2
    step_free: bool = False
    wheelchair_accessible: bool = False
    furnished: bool = False
    energy_label: str | None = None
    proposed_rent_cents: int | None = None
    charges_cents: int = 0
    available_from: date | None = None
    description: str = ""
    package_id: UUID | None = None


class UnitPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change; ``null`` clears an optional field."""

    label: str | msgspec.UnsetType = UNSET
    unit_type: UnitType | msgspec.UnsetType = UNSET
    floor: int | msgspec.UnsetType = UNSET
    bedrooms: int | msgspec.UnsetType = UNSET
    surface_m2: int | msgspec.UnsetType | None = UNSET
    min_occupants: int | msgspec.UnsetType = UNSET
    max_occupants: int | msgspec.UnsetType = UNSET
    step_free: bool | msgspec.UnsetType = UNSET
    wheelchair_accessible: bool | msgspec.UnsetType = UNSET
    furnished: bool | msgspec.UnsetType = UNSET
    energy_label: str | msgspec.UnsetType | None = UNSET
    proposed_rent_cents: int | msgspec.UnsetType | None = UNSET
    charges_cents: int | msgspec.UnsetType = UNSET
    available_from: date | msgspec.UnsetType | None = UNSET
    description: str | msgspec.UnsetType = UNSET
    package_id: UUID | msgspec.UnsetType | None = UNSET


class BuildingOut(msgspec.Struct):
    id: UUID
    street: str
    postcode: str
    municipality: str
    country: str
    floors: int
    has_lift: bool
    lat: float | None
    lon: float | None


class PhotoOut(msgspec.Struct):
    id: UUID
    url: str
    thumbnail_url: str
    width: int
    height: int


class UnitOut(msgspec.Struct):
    id: UUID
    building: BuildingOut
    label: str
    unit_type: UnitType
    status: UnitStatus
    floor: int
    bedrooms: int
    surface_m2: int | None
    min_occupants: int
    max_occupants: int
    step_free: bool
    wheelchair_accessible: bool
    furnished: bool
    energy_label: str | None
    proposed_rent_cents: int | None
    charges_cents: int
    guaranteed_rent_cents: int | None
    tenant_rent_cents: int | None
    available_from: date | None
    description: str
    package_id: UUID | None
    rent_cap_cents: int | None
    above_rent_cap: bool
    photos: list[PhotoOut]
    updated_at: datetime


async def _landlord(session: AsyncSession, user: CurrentUser) -> Landlord:
    landlord = await landlord_of_user(session, user.id)
    if landlord is None:
        raise NotFoundException()
    return landlord


def _invalid(errors: Errors) -> ValidationException:
    return ValidationException(
        detail=_("The request body or parameters are not valid."),
        extra=[
            {"key": key, "message": message, "source": "body"} for key, message in errors.items()
        ],
    )


class _Caps:
    """Rent caps looked up once per (unit type, bedrooms) for a listing."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.known: dict[tuple[UUID, UnitType, int], int | None] = {}

    async def of(self, agency_id: UUID, unit: Unit) -> int | None:
        key = (agency_id, unit.unit_type, unit.bedrooms)
        if key not in self.known:
            self.known[key] = await cap_for(self.session, *key, date.today())
        return self.known[key]


async def _out(
    session: AsyncSession, rows: list[tuple[Unit, UUID]], caps: _Caps | None = None
) -> list[UnitOut]:
    caps = caps or _Caps(session)
    unit_ids = [unit.id for unit, _agency in rows]
    photos: dict[UUID, list[PhotoOut]] = {unit_id: [] for unit_id in unit_ids}
    for photo in await session.scalars(
        select(UnitPhoto)
        .where(UnitPhoto.unit_id.in_(unit_ids))
        .order_by(UnitPhoto.created_at, UnitPhoto.id)
    ):
        photos[photo.unit_id].append(
            PhotoOut(
                photo.id,
                f"/files/{photo.file_id}",
                f"/files/{photo.thumbnail_id}",
                photo.width,
                photo.height,
            )
        )
    result = []
    for unit, agency_id in rows:
        cap = await caps.of(agency_id, unit)
        result.append(_unit_out(unit, cap, photos[unit.id]))
    return result


def _unit_out(unit: Unit, cap: int | None, photos: list[PhotoOut]) -> UnitOut:
    b = unit.building
    building = BuildingOut(
        b.id, b.street, b.postcode, b.municipality, b.country, b.floors, b.has_lift, b.lat, b.lon
    )
    fields = {name: getattr(unit, name) for name in UNIT_FIELDS}
    return UnitOut(
        id=unit.id,
        building=building,
        status=unit.status,
        guaranteed_rent_cents=unit.guaranteed_rent_cents,
        tenant_rent_cents=unit.tenant_rent_cents,
        rent_cap_cents=cap,
        above_rent_cap=cap is not None and (unit.proposed_rent_cents or 0) > cap,
        photos=photos,
        updated_at=unit.updated_at,
        **fields,
    )


def _scoped(user: CurrentUser, landlord: Landlord | None) -> Select[tuple[Unit, UUID]]:
    """Units the caller may read: a landlord's own, or those of an officer's agency."""
    query = (
        select(Unit, Landlord.agency_id)
        .join(Building, Building.id == Unit.building_id)
        .join(Landlord, Landlord.id == Building.landlord_id)
        .options(selectinload(Unit.building))
    )
    if user.role is Role.LANDLORD:
        return query.where(Landlord.id == (landlord.id if landlord else None))
    return query.where(Landlord.agency_id == user.agency_id)


async def _readable(
    session: AsyncSession,
    user: CurrentUser,
    unit_id: UUID | None = None,
    status: UnitStatus | None = None,
) -> list[tuple[Unit, UUID]]:
    landlord = await landlord_of_user(session, user.id) if user.role is Role.LANDLORD else None
    query = _scoped(user, landlord).order_by(Building.municipality, Building.street, Unit.label)
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    if status is not None:
        query = query.where(Unit.status == status)
    return [(unit, agency_id) for unit, agency_id in (await session.execute(query)).all()]


@get(
    "/units",
    guards=[requires(Role.LANDLORD, *STAFF_READERS)],
    tags=["units"],
    summary="List units",
)
async def list_units(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    status: FromQuery[UnitStatus | None] = None,
) -> list[UnitOut]:
    """A landlord's own units, or an intake or allocation officer's agency units."""
    return await _out(db_session, await _readable(db_session, _user(request), status=status))


@get(
    "/units/{unit_id:uuid}",
    guards=[requires(Role.LANDLORD, *STAFF_READERS)],
    tags=["units"],
    summary="Read a unit",
)
async def read_unit(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> UnitOut:
    rows = await _readable(db_session, _user(request), unit_id=unit_id)
    if not rows:
        raise NotFoundException()
    return (await _out(db_session, rows))[0]


@post("/units", guards=[requires(Role.LANDLORD)], tags=["units"], summary="Create a draft unit")
async def create_unit(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[UnitIn]
) -> UnitOut:
    user = _user(request)
    landlord = await _landlord(db_session, user)
    errors: Errors = {}
    building, building_values, point = None, {}, None
    if data.building_id is not None:
        building = await own_building(db_session, landlord, data.building_id)
        if building is None:
            errors["building_id"] = _("Please choose one of your buildings, or a new building.")
    elif data.building is not None:
        building_values = msgspec.structs.asdict(data.building)
        geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
        found = await validate_building(geocoder, building_values, errors)
        point = found
        errors = {(f"building.{k}" if k in BUILDING_FIELDS else k): v for k, v in errors.items()}
    else:
        errors["building"] = _("Give either building_id or a new building's address.")
    unit_values = {name: getattr(data, name) for name in UNIT_FIELDS}
    await validate_unit(
        db_session, landlord, unit_values, errors, building_id=building.id if building else None
    )
    if errors:
        raise _invalid(errors)
    if building is None:
        building = await write_building(db_session, landlord, building_values, point, actor=user)
    unit = await write_unit(db_session, building, unit_values, actor=user)
    return await read_one(db_session, landlord, unit.id)


async def read_one(session: AsyncSession, landlord: Landlord, unit_id: UUID) -> UnitOut:
    unit = await own_unit(session, landlord, unit_id)
    if unit is None:
        raise NotFoundException()
    return (await _out(session, [(unit, landlord.agency_id)]))[0]


@patch(
    "/units/{unit_id:uuid}",
    guards=[requires(Role.LANDLORD)],
    tags=["units"],
    summary="Change a draft unit",
)
async def change_unit(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    unit_id: FromPath[UUID],
    data: JSONBody[UnitPatch],
) -> UnitOut:
    user = _user(request)
    landlord = await _landlord(db_session, user)
    unit = await own_unit(db_session, landlord, unit_id)
    if unit is None:
        raise NotFoundException()
    if unit.status not in EDITABLE:
        raise ClientException(
            detail=_("The agency is already working on this flat, so it can no longer be changed."),
            status_code=409,
        )
    changes = {
        name: value
        for name in UNIT_FIELDS
        if (value := getattr(data, name, UNSET)) is not msgspec.UNSET
    }
    # The rules look at the whole unit (the smallest number of people against the largest).
    merged = {name: getattr(unit, name) for name in UNIT_FIELDS} | changes
    errors: Errors = {}
    await validate_unit(
        db_session, landlord, merged, errors, building_id=unit.building_id, unit_id=unit.id
    )
    if errors:
        raise _invalid(errors)
    await write_unit(db_session, unit.building, changes, actor=user, unit=unit)
    return await read_one(db_session, landlord, unit.id)


unit_api = [list_units, read_unit, create_unit, change_unit]
