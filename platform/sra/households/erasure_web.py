"""``/staff/erasure-requests``: administrators erase the households that asked for it.

Only the administrator's agency's households are listed or erased; another agency's household,
or one that did not ask, answers 404. Erasing needs a ticked confirmation: it cannot be undone.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households import privacy
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Household
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

PATH = "/staff/erasure-requests"


async def _page(
    session: AsyncSession,
    user: CurrentUser,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    requests = await privacy.erasure_requests(session, user.agency_id)
    rows = [(h, await privacy.has_housing_records(session, h)) for h in requests]
    return Template(
        "households/erasure_requests.html",
        status_code=status,
        context={
            "rows": rows,
            "erased": await privacy.erased_households(session, user.agency_id),
            "status_label": labels.HOUSEHOLD_STATUS,
            "errors": errors or {},
            "notice": notice,
        },
    )


class ErasureRequestsController(Controller):
    path = PATH
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def show(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        done: FromQuery[str] = "",
    ) -> Template:
        notice = _("The household's data is erased.") if done == "erased" else None
        return await _page(db_session, _caller(request), notice=notice)

    @post("/{household_id:uuid}/erase", status_code=303)
    async def erase(
        self,
        request: AnyRequest,
        household_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Template | Redirect:
        user = _caller(request)
        household = await privacy.household_with_profile(db_session, household_id=household_id)
        if not _pending_in_agency(household, user):
            raise NotFoundException()
        assert household is not None
        form = await request.form()
        if field(form, "confirm") != "yes":
            errors = {str(household.id): _("Please tick the box: erasing cannot be undone.")}
            return await _page(db_session, user, errors=errors, status=400)
        await privacy.erase_household(
            db_session,
            household,
            actor=user,
            ip_address=request.client.host if request.client else None,
        )
        return Redirect(f"{PATH}?done=erased", status_code=303)


def _pending_in_agency(household: Household | None, user: CurrentUser) -> bool:
    return (
        household is not None
        and household.agency_id == user.agency_id
        and household.erasure_requested_at is not None
        and household.erased_at is None
    )


erasure_pages = [ErasureRequestsController]
