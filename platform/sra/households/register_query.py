"""The household register as staff filter it: the same criteria for the page, the CSV export
and ``GET /api/v1/register/households``, always within one agency.

Criteria: status; household size (members) from/to; needs (wheelchair; step-free, which a
wheelchair user also needs); an area, which is either a place from the gazetteer (postcode or
municipality) with a radius in km, matching households with a preferred area that near, or,
without a radius, a part of the name of a preferred area; priority points (urgency) from/to.
Order: most points first, then the longest registered (ties by registration date).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, ScalarSelect, Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra.geo import Geocoder, Place, normalise_postcode
from sra.geo.postcodes import name_key
from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.register import form_values
from sra.register.models import Agency, Household, HouseholdMember, HouseholdStatus, PreferredArea

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SIZE = 20
MAX_URGENCY = 1000
MAX_RADIUS_KM = 500
KM_PER_DEGREE = 6371.0088 * math.pi / 180
NUMBER_FIELDS = ("size_min", "size_max", "urgency_min", "urgency_max")


class RegisterCriteria(msgspec.Struct, frozen=True, kw_only=True):
    status: HouseholdStatus | None = None
    size_min: int | None = None
    size_max: int | None = None
    wheelchair: bool = False
    step_free: bool = False
    area: str = ""
    radius_km: float | None = None
    urgency_min: int | None = None
    urgency_max: int | None = None


@dataclass(frozen=True, slots=True)
class AreaCentre:
    """The place the radius is measured from."""

    place: Place
    radius_km: float


@dataclass(frozen=True, slots=True)
class RegisterPage:
    households: list[Household]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)


def _yes(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def read_criteria(params: Mapping[str, str]) -> tuple[RegisterCriteria, dict[str, str], Errors]:
    """Criteria from a query string as the page's form sends it; errors per field."""
    names = ("status", *NUMBER_FIELDS, "wheelchair", "step_free", "area", "radius_km")
    values = {name: (params.get(name) or "").strip() for name in names}
    errors: Errors = {}
    status = None
    if values["status"]:
        try:
            status = HouseholdStatus(values["status"])
        except ValueError:
            errors["status"] = _("Please choose a status from the list.")
    numbers: dict[str, int | None] = {}
    for name in NUMBER_FIELDS:
        high = MAX_SIZE if name.startswith("size") else MAX_URGENCY
        numbers[name], error = form_values.whole_number(
            values[name], low=0, high=high, required=False
        )
        if error:
            errors[name] = error
    radius, error = form_values.number(values["radius_km"], low=0, high=MAX_RADIUS_KM)
    if error:
        errors["radius_km"] = error
    criteria = RegisterCriteria(
        status=status,
        wheelchair=_yes(values["wheelchair"]),
        step_free=_yes(values["step_free"]),
        area=values["area"][:100],
        radius_km=radius,
        **numbers,
    )
    return criteria, values, errors | criteria_problems(criteria)


def criteria_problems(criteria: RegisterCriteria) -> Errors:
    """What is wrong with criteria that are each well formed (ranges, a radius without place)."""
    errors: Errors = {}
    for low, high in (("size_min", "size_max"), ("urgency_min", "urgency_max")):
        a, b = getattr(criteria, low), getattr(criteria, high)
        if a is not None and b is not None and a > b:
            errors[high] = _("The upper limit cannot be below the lower limit.")
    if criteria.radius_km is not None:
        if criteria.radius_km <= 0:
            errors["radius_km"] = _("Please enter a distance above 0 km.")
        elif not criteria.area:
            errors["area"] = _("Please enter the postcode or municipality to measure from.")
    return errors


async def resolve_area(
    session: AsyncSession, geocoder: Geocoder, agency_id: UUID | None, criteria: RegisterCriteria
) -> tuple[AreaCentre | None, Errors]:
    """The centre of a radius search, from the gazetteer of the agency's country."""
    if criteria.radius_km is None or not criteria.area:
        return None, {}
    country = await session.scalar(select(Agency.country).where(Agency.id == agency_id)) or "BE"
    wanted = criteria.area.strip()
    places = await geocoder.suggest(country, wanted)
    if wanted[:1].isdigit():
        code = normalise_postcode(wanted, country)
        places = [p for p in places if p.postcode == code]
    else:
        key = name_key(wanted)
        places = [p for p in places if name_key(p.municipality) == key] or places
    if not places:
        return None, {"area": _("This postcode or municipality is not in the gazetteer.")}
    return AreaCentre(places[0], criteria.radius_km), {}


def _size() -> ScalarSelect[int]:
    return (
        select(func.count(HouseholdMember.id))
        .where(HouseholdMember.household_id == Household.id)
        .scalar_subquery()
    )


def _near(centre: AreaCentre) -> ColumnElement[bool]:
    """A preferred area within the radius. Equirectangular distance: on the scale of a region
    it differs from the great circle by far less than a street, and it is plain arithmetic,
    the same on SQLite and PostgreSQL."""
    lat0, lon0 = centre.place.lat, centre.place.lon
    dy = (PreferredArea.lat - lat0) * KM_PER_DEGREE
    dx = (PreferredArea.lon - lon0) * (KM_PER_DEGREE * math.cos(math.radians(lat0)))
    return exists().where(
        PreferredArea.household_id == Household.id,
        dx * dx + dy * dy <= centre.radius_km**2,
    )


def _named(text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return exists().where(
        PreferredArea.household_id == Household.id,
        func.lower(PreferredArea.name).like(f"%{escaped.lower()}%", escape="\\"),
    )


def filtered(
    agency_id: UUID | None, criteria: RegisterCriteria, centre: AreaCentre | None
) -> Select[tuple[Household]]:
    query = select(Household).where(Household.agency_id == agency_id)
    if criteria.status is not None:
        query = query.where(Household.status == criteria.status)
    size = _size()
    if criteria.size_min is not None:
        query = query.where(size >= criteria.size_min)
    if criteria.size_max is not None:
        query = query.where(size <= criteria.size_max)
    if criteria.wheelchair:
        query = query.where(Household.wheelchair.is_(True))
    if criteria.step_free:
        query = query.where(or_(Household.step_free.is_(True), Household.wheelchair.is_(True)))
    if centre is not None:
        query = query.where(_near(centre))
    elif criteria.area:
        query = query.where(_named(criteria.area))
    if criteria.urgency_min is not None:
        query = query.where(Household.urgency >= criteria.urgency_min)
    if criteria.urgency_max is not None:
        query = query.where(Household.urgency <= criteria.urgency_max)
    return query


def _ordered(query: Select[tuple[Household]]) -> Select[tuple[Household]]:
    return query.options(
        selectinload(Household.members), selectinload(Household.preferred_areas)
    ).order_by(Household.urgency.desc(), Household.registered_on, Household.reference)


async def search(
    session: AsyncSession,
    agency_id: UUID | None,
    criteria: RegisterCriteria,
    centre: AreaCentre | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> RegisterPage:
    """One page of the agency's matching households, most points first."""
    query = filtered(agency_id, criteria, centre)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(_ordered(query).offset((page - 1) * per_page).limit(per_page))
    return RegisterPage(list(rows), total, page, per_page)


async def all_matching(
    session: AsyncSession,
    agency_id: UUID | None,
    criteria: RegisterCriteria,
    centre: AreaCentre | None = None,
) -> list[Household]:
    """Every matching household, in register order (for the CSV export)."""
    return list(await session.scalars(_ordered(filtered(agency_id, criteria, centre))))
