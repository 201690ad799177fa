"""Priority points in the JSON API: read only. There is no route that sets points.

``GET /api/v1/households/{id}/points``: the household itself, and the allocation officers and
caseworkers of its agency (another household's record, or another agency's, is 404).
``GET /api/v1/points-scheme``: the active scheme's rules, public like the page /points-rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.facts import verified_facts
from sra.households.points import SchemeRules, explain, max_total
from sra.households.points_store import active_scheme, points_history
from sra.identity.current import CurrentUser
from sra.identity.registration import the_agency
from sra.identity.roles import Role
from sra.register.models import Household
from sra.web.guards import AnyRequest, current_user, public, requires

POINTS_READERS = (Role.HOUSEHOLD, Role.ALLOCATION_OFFICER, Role.CASEWORKER)


class PointsLineOut(msgspec.Struct):
    rule: str
    points: int
    reason: str


class PointsComputationOut(msgspec.Struct):
    computed_at: datetime
    scheme_version: int
    raw_total: int
    max_total: int
    urgency: int


class HouseholdPointsOut(msgspec.Struct):
    household_id: UUID
    reference: str
    verified: bool
    urgency: int
    raw_total: int | None
    max_total: int | None
    computed_at: datetime | None
    scheme_version: int | None
    lines: list[PointsLineOut]
    history: list[PointsComputationOut]


class PointsSchemeOut(msgspec.Struct):
    version: int
    name: str
    activated_at: datetime | None
    max_total: int
    rules: SchemeRules


def _visible_to(user: CurrentUser) -> Any:
    if user.role is Role.HOUSEHOLD:
        return Household.user_id == user.id
    return Household.agency_id == user.agency_id


@get(
    "/households/{household_id:uuid}/points",
    guards=[requires(*POINTS_READERS)],
    tags=["households"],
    summary="A household's priority points: each rule with its reason, and their history",
)
async def household_points(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    household_id: FromPath[UUID],
) -> HouseholdPointsOut:
    user = current_user(request)
    assert user is not None  # the guard let only signed-in readers through
    household = await db_session.scalar(
        select(Household).where(Household.id == household_id, _visible_to(user))
    )
    if household is None:
        raise NotFoundException()
    history = await points_history(db_session, household.id)
    current = next(((row, version) for row, version in history if row.is_current), None)
    return HouseholdPointsOut(
        household_id=household.id,
        reference=household.reference,
        verified=verified_facts(household) is not None,
        urgency=current[0].urgency if current else 0,
        raw_total=current[0].raw_total if current else None,
        max_total=current[0].max_total if current else None,
        computed_at=current[0].computed_at if current else None,
        scheme_version=current[1] if current else None,
        lines=[
            PointsLineOut(rule=line.code, points=line.points, reason=explain(line))
            for line in (current[0].score_lines if current else [])
        ],
        history=[
            PointsComputationOut(
                computed_at=row.computed_at,
                scheme_version=version,
                raw_total=row.raw_total,
                max_total=row.max_total,
                urgency=row.urgency,
            )
            for row, version in history
        ],
    )


@get(
    "/points-scheme",
    guards=[public],
    tags=["households"],
    summary="The agency's active points scheme (allocation rules are public)",
)
async def public_points_scheme(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    agency: FromQuery[UUID | None] = None,
) -> PointsSchemeOut:
    user = current_user(request)
    agency_id = agency or (user.agency_id if user else None)
    if agency_id is None:
        only = await the_agency(db_session)
        agency_id = only.id if only else None
    scheme = await active_scheme(db_session, agency_id) if agency_id else None
    if scheme is None:
        raise NotFoundException()
    rules = scheme.scheme_rules
    return PointsSchemeOut(
        version=scheme.version,
        name=scheme.name,
        activated_at=scheme.activated_at,
        max_total=max_total(rules),
        rules=rules,
    )


points_api = [household_points, public_points_scheme]
