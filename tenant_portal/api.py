"""The household record in the JSON API.

A household reads only its own record; the officers who work with households read the records
of their own agency. Anyone else gets 404 for a record that is not theirs to see.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Household
from sra.web.guards import current_user, requires

HOUSEHOLD_READERS = (Role.HOUSEHOLD, Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER, Role.CASEWORKER)


class MemberOut(msgspec.Struct):
    first_name: str
    relation: str
    birth_year: int


class HouseholdOut(msgspec.Struct):
    id: UUID
    reference: str
    name: str
    status: str
    adults: int
    children: int
    registered_on: date
    support_need: str
    members: list[MemberOut]


def _visible_to(user: CurrentUser) -> Any:
    if user.role is Role.HOUSEHOLD:
        return Household.user_id == user.id
    return Household.agency_id == user.agency_id


@get(
    "/households/{household_id:uuid}",
    guards=[requires(*HOUSEHOLD_READERS)],
    tags=["households"],
    summary="One household's record",
)
async def household_record(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    household_id: FromPath[UUID],
) -> HouseholdOut:
    user = current_user(request)
    assert user is not None  # the guard let only signed-in readers through
    household = await db_session.scalar(
        select(Household)
        .where(Household.id == household_id, _visible_to(user))
        .options(selectinload(Household.members))
    )
    if household is None:
        raise NotFoundException()
    return HouseholdOut(
        id=household.id,
        reference=household.reference,
        name=household.name,
        status=household.status.value,
        adults=household.adults,
        children=household.children,
        registered_on=household.registered_on,
        support_need=household.support_need.value,
        members=[
            MemberOut(first_name=m.first_name, relation=m.relation.value, birth_year=m.birth_year)
            for m in household.members
        ],
    )


tenant_api = [household_record]
