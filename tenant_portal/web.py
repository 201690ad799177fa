"""Pages a household sees: only its own record (queried by the signed-in user's id)."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.profile import EditMode, edit_mode, missing_for_submission, own_household
from sra.identity.roles import Role
from sra.register import labels
from sra.register.queries import agency_currency
from sra.web.guards import current_user, requires
from tenant_portal.wording import HOUSEHOLD_STATUS_FOR_HOUSEHOLD, access_needs


@get("/tenant", guards=[requires(Role.HOUSEHOLD)])
async def tenant_home(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in household through
    # Members, incomes and places loaded: the page lists what the application still misses.
    household = await own_household(db_session, user.id)
    if household is None:
        return Template("tenant/home.html", context={"household": None})
    return Template(
        "tenant/home.html",
        context={
            "household": household,
            "currency": await agency_currency(db_session, household.agency_id),
            "waiting_days": max(0, (date.today() - household.registered_on).days),
            "needs": access_needs(household),
            "missing": await missing_for_submission(db_session, household)
            if edit_mode(household) is EditMode.FREE
            else [],
            "status_label": labels.HOUSEHOLD_STATUS,
            "status_help": HOUSEHOLD_STATUS_FOR_HOUSEHOLD,
            "support_label": labels.SUPPORT_NEED,
            "relation_label": labels.RELATION,
        },
    )


tenant_pages = [tenant_home]
