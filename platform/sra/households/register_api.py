"""``GET /api/v1/register/households``: the register with the page's filters, as JSON.

Allocation officers and caseworkers read the households of their own agency. A parameter of
the wrong type or out of range, an upper limit below the lower one, or a place the gazetteer
does not know answers 400 ``application/problem+json`` with ``errors: [{key, message, source}]``.
Free-text needs, contact details, incomes and documents are never in the answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from sra.geo import geocoder_for
from sra.households import register_query
from sra.households.register_query import MAX_PER_PAGE, PER_PAGE, RegisterCriteria
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.register.models import Household, HouseholdStatus, SupportNeed
from sra.web.guards import current_user, requires

Size = Annotated[int | None, QueryParameter(ge=0, le=register_query.MAX_SIZE)]
Points = Annotated[int | None, QueryParameter(ge=0, le=register_query.MAX_URGENCY)]


class AreaOut(msgspec.Struct):
    name: str
    lat: float
    lon: float


class RegisterHouseholdOut(msgspec.Struct):
    id: UUID
    reference: str
    name: str
    status: HouseholdStatus
    registered_on: date
    adults: int
    children: int
    size: int
    urgency: int
    support_need: SupportNeed
    high_support: bool
    wheelchair: bool
    step_free: bool
    ground_floor: bool
    max_rent_cents: int | None
    max_distance_km: float | None
    preferred_areas: list[AreaOut]
    verified_at: datetime | None


class RegisterPageOut(msgspec.Struct):
    items: list[RegisterHouseholdOut]
    page: int
    per_page: int
    total: int


def household_out(h: Household) -> RegisterHouseholdOut:
    return RegisterHouseholdOut(
        id=h.id,
        reference=h.reference,
        name=h.name,
        status=h.status,
        registered_on=h.registered_on,
        adults=h.adults,
        children=h.children,
        size=h.size,
        urgency=h.urgency,
        support_need=h.support_need,
        high_support=h.high_support,
        wheelchair=h.wheelchair,
        step_free=h.step_free,
        ground_floor=h.ground_floor,
        max_rent_cents=h.max_rent_cents,
        max_distance_km=h.max_distance_km,
        preferred_areas=[AreaOut(a.name, a.lat, a.lon) for a in h.preferred_areas],
        verified_at=h.verified_at,
    )


def _invalid(errors: dict[str, str]) -> ValidationException:
    return ValidationException(
        detail=_("The request body or parameters are not valid."),
        extra=[{"key": k, "message": m, "source": "query"} for k, m in errors.items()],
    )


@get(
    "/register/households",
    guards=[requires(Role.ALLOCATION_OFFICER, Role.CASEWORKER)],
    tags=["register"],
    summary="Filter the household register",
)
async def register_households(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    status: Annotated[HouseholdStatus | None, QueryParameter()] = None,
    size_min: Size = None,
    size_max: Size = None,
    wheelchair: Annotated[bool, QueryParameter()] = False,
    step_free: Annotated[bool, QueryParameter(description="Wheelchair users included")] = False,
    area: Annotated[str | None, QueryParameter(max_length=100)] = None,
    radius_km: Annotated[
        float | None, QueryParameter(gt=0, le=register_query.MAX_RADIUS_KM)
    ] = None,
    urgency_min: Points = None,
    urgency_max: Points = None,
    page: Annotated[int, QueryParameter(ge=1)] = 1,
    per_page: Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> RegisterPageOut:
    """The agency's households, most priority points first, then by registration date.

    ``area`` with ``radius_km``: a postcode or municipality of the gazetteer; households with a
    preferred area within that distance. ``area`` alone: preferred areas whose name contains it.
    """
    user = current_user(request)
    assert user is not None  # the guard let only signed-in readers through
    criteria = RegisterCriteria(
        status=status,
        size_min=size_min,
        size_max=size_max,
        wheelchair=wheelchair,
        step_free=step_free,
        area=(area or "").strip(),
        radius_km=radius_km,
        urgency_min=urgency_min,
        urgency_max=urgency_max,
    )
    errors = register_query.criteria_problems(criteria)
    if errors:
        raise _invalid(errors)
    geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
    centre, errors = await register_query.resolve_area(
        db_session, geocoder, user.agency_id, criteria
    )
    if errors:
        raise _invalid(errors)
    result = await register_query.search(
        db_session, user.agency_id, criteria, centre, page=page, per_page=per_page
    )
    return RegisterPageOut(
        items=[household_out(h) for h in result.households],
        page=result.page,
        per_page=result.per_page,
        total=result.total,
    )


register_api = [register_households]
