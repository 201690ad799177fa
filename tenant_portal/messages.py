"""``/tenant/messages``: what the agency asked the household, and the household's answers.

Only the signed-in household's own messages are read (by its user id); another household's
message answers 404. An answer to a returned application sends it back to the officers.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.messages import (
    MAX_BODY,
    answer_agency,
    body_problem,
    message_of_household,
    messages_of,
)
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Household, HouseholdStatus
from sra.register.queries import household_of_user
from sra.web.guards import AnyRequest, current_user, requires

HOUSEHOLDS = requires(Role.HOUSEHOLD)


async def _own(request: AnyRequest, db: AsyncSession) -> tuple[CurrentUser, Household | None]:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in household through
    return user, await household_of_user(db, user.id)


async def _page(
    db: AsyncSession,
    household: Household | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    focus: UUID | None = None,
) -> Template:
    return Template(
        "tenant/messages.html",
        context={
            "household": household,
            "messages": await messages_of(db, household.id) if household else [],
            "values": values or {},
            "errors": errors or {},
            "focus": focus,
            "returned": household is not None and household.status is HouseholdStatus.RETURNED,
            "status_label": labels.HOUSEHOLD_STATUS,
            "max_body": MAX_BODY,
        },
        status_code=400 if errors else 200,
    )


@get("/tenant/messages", guards=[HOUSEHOLDS])
async def messages_page(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    _user, household = await _own(request, db_session)
    return await _page(db_session, household)


@get("/tenant/messages/{message_id:uuid}", guards=[HOUSEHOLDS])
async def message_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], message_id: FromPath[UUID]
) -> Template:
    """The same page with one message marked: a link that can be sent in a notice."""
    _user, household = await _own(request, db_session)
    if (
        household is None
        or await message_of_household(db_session, household.id, message_id) is None
    ):
        raise NotFoundException()
    return await _page(db_session, household, focus=message_id)


@post("/tenant/messages", guards=[HOUSEHOLDS])
async def answer(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Response[Any]:
    user, household = await _own(request, db_session)
    if household is None:
        raise NotFoundException()
    body = (await request.form()).get("body")
    values = {"body": body.strip() if isinstance(body, str) else ""}
    problem = body_problem(values["body"])
    if problem:
        return await _page(db_session, household, values=values, errors={"body": problem})
    await answer_agency(db_session, household, values["body"], actor=user)
    return Redirect("/tenant/messages", status_code=303)


message_pages = [messages_page, message_page, answer]
