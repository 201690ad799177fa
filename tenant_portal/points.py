"""The household's own priority points: ``/tenant/points`` (only its own record).

Each rule that gave points is shown with its reason; the history lists every recomputation
(after a verification, or when the agency activated a new scheme). Points are never typed.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.facts import awaiting_reverification, verified_facts
from sra.households.points import explain
from sra.households.points_store import points_history
from sra.identity.roles import Role
from sra.register.queries import household_of_user
from sra.web.guards import current_user, requires


@get("/tenant/points", guards=[requires(Role.HOUSEHOLD)])
async def my_points(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in household through
    household = await household_of_user(db_session, user.id)
    if household is None:
        return Template("tenant/points.html", context={"household": None})
    history = await points_history(db_session, household.id)
    current = next(((row, version) for row, version in history if row.is_current), None)
    return Template(
        "tenant/points.html",
        context={
            "household": household,
            "verified": verified_facts(household) is not None,
            "awaiting": awaiting_reverification(household),
            "current": current[0] if current else None,
            "current_version": current[1] if current else None,
            "reasons": [(explain(line), line.points) for line in current[0].score_lines]
            if current
            else [],
            "history": history,
        },
    )


points_pages = [my_points]
