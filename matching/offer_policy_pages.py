"""The administrator's offer settings: ``/admin/offers/policy``.

How many days a household has to answer by default, and how many allocation rounds a household
sits out after declining (0, the default: declining carries no penalty). Bad input stores
nothing.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.staff_scope import agency_id_of
from matching.offer_policy import (
    MAX_DEADLINE_DAYS,
    MAX_PENALTY_ROUNDS,
    policy_of,
    read_policy,
    save_policy,
)
from sra.identity.forms import Errors, field
from sra.identity.roles import Role
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

PATH = "/admin/offers/policy"
FIELDS = ("decline_penalty_rounds", "default_deadline_days")


def _page(
    values: dict[str, str], *, errors: Errors | None = None, saved: bool = False, status: int = 200
) -> Template:
    return Template(
        "matching/offer_policy.html",
        status_code=status,
        context={
            "values": values,
            "errors": errors or {},
            "saved": saved,
            "max_penalty": MAX_PENALTY_ROUNDS,
            "max_days": MAX_DEADLINE_DAYS,
        },
    )


class OfferPolicyController(Controller):
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
        policy = await policy_of(db_session, await agency_id_of(db_session, caller(request)))
        values = {name: str(getattr(policy, name)) for name in FIELDS}
        return _page(values, saved=done == "saved")

    @post("/", status_code=303)
    async def save(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        agency_id = await agency_id_of(db_session, caller(request))
        form = await request.form()
        values = {name: field(form, name) for name in FIELDS}
        numbers, errors = read_policy(values)
        if errors:
            return _page(values, errors=errors, status=400)
        await save_policy(
            db_session,
            agency_id,
            decline_penalty_rounds=numbers["decline_penalty_rounds"],
            default_deadline_days=numbers["default_deadline_days"],
            actor=caller(request),
        )
        return Redirect(f"{PATH}?done=saved", status_code=303)


offer_policy_pages = [OfferPolicyController]
