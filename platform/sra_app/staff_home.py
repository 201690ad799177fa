"""The staff dashboard: what the signed-in role does, and the register's figures it needs.

Every figure is scoped to the staff member's agency. The manager sees aggregates only (no names);
lists of named records go only to the roles whose work is those records.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import lazy
from sra.identity.models import User
from sra.identity.roles import STAFF_ROLES, Role
from sra.register import figures, labels
from sra.register.models import HouseholdStatus, SupportNeed, UnitStatus
from sra.register.queries import agency_currency
from sra.register.worklists import households_to_verify, units_in_intake
from sra.web.guards import current_user, requires

DUTIES: dict[Role, list[str]] = {
    Role.INTAKE_OFFICER: [
        lazy("Check the flats landlords offer and plan a visit for each."),
        lazy("Inspect each flat and record its condition, size and access."),
        lazy("Propose approval or rejection, with the guaranteed rent and the tenant rent."),
    ],
    Role.ALLOCATION_OFFICER: [
        lazy("Verify applications: check the facts, ask for what is missing, accept or reject."),
        lazy("Run allocation rounds by the agency's public rules and review every proposal."),
        lazy("Send offers to households and follow up their answers."),
    ],
    Role.FINANCE_OFFICER: [
        lazy("Run the monthly rent run: tenant charges and landlord payables."),
        lazy("Reconcile bank statements and card payments with the ledger."),
        lazy("Prepare landlord payouts and close each period."),
    ],
    Role.CASEWORKER: [
        lazy("Support households before and after they move in."),
        lazy("Keep support plans and case notes; only caseworkers can read case notes."),
        lazy("Start with the households that need intensive support (Housing First)."),
    ],
    Role.MANAGER: [
        lazy("Follow the agency's figures: flats, applications, waiting times and rents."),
        lazy("You see totals only, never the names of landlords or households."),
    ],
    Role.ADMINISTRATOR: [
        lazy("Manage staff accounts and roles, and the agency's settings."),
        lazy("Watch background jobs and the audit log; you have no access to case notes."),
    ],
}

# Same message ids as the account pages use, so one translation serves both.
ROLE_NAMES: dict[Role, str] = {
    Role.INTAKE_OFFICER: lazy("Intake officer"),
    Role.ALLOCATION_OFFICER: lazy("Allocation officer"),
    Role.FINANCE_OFFICER: lazy("Finance officer"),
    Role.CASEWORKER: lazy("Caseworker"),
    Role.MANAGER: lazy("Manager"),
    Role.ADMINISTRATOR: lazy("Administrator"),
    Role.LANDLORD: lazy("Landlord"),
    Role.HOUSEHOLD: lazy("Household"),
}

# Which blocks of the dashboard each role sees.
BLOCKS: dict[Role, frozenset[str]] = {
    Role.INTAKE_OFFICER: frozenset({"counts", "intake"}),
    Role.ALLOCATION_OFFICER: frozenset({"counts", "access", "verify"}),
    Role.FINANCE_OFFICER: frozenset({"counts", "rents"}),
    Role.CASEWORKER: frozenset({"counts", "support", "support_list"}),
    Role.MANAGER: frozenset({"counts", "access", "rents", "support", "sizes", "waiting"}),
    Role.ADMINISTRATOR: frozenset({"counts", "accounts"}),
}


async def accounts_by_role(session: AsyncSession, agency_id: UUID | None) -> dict[Role, int]:
    query = select(User.role, func.count(User.id)).where(User.is_active.is_(True))
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    rows = await session.execute(query.group_by(User.role))
    counts = {role: int(n) for role, n in rows.tuples()}
    return {role: counts.get(role, 0) for role in Role}


async def _context(session: AsyncSession, role: Role, agency_id: UUID | None) -> dict[str, Any]:
    blocks = BLOCKS[role]
    context: dict[str, Any] = {
        "role": role,
        "role_names": ROLE_NAMES,
        "duties": DUTIES[role],
        "blocks": blocks,
        "unit_counts": await figures.units_by_status(session, agency_id),
        "household_counts": await figures.households_by_status(session, agency_id),
        "unit_label": labels.UNIT_STATUS,
        "household_label": labels.HOUSEHOLD_STATUS,
        "support_label": labels.SUPPORT_NEED,
        "currency": await agency_currency(session, agency_id),
    }
    if "intake" in blocks:
        context["intake_units"] = await units_in_intake(session, agency_id)
    if "verify" in blocks:
        context["to_verify"] = await households_to_verify(session, agency_id)
    if "access" in blocks:
        context["access"] = await figures.access_needs(session, agency_id)
    if "rents" in blocks:
        context["rents"] = await figures.rent_totals(session, agency_id)
    if "support" in blocks:
        context["support"] = await figures.waiting_by_support_need(session, agency_id)
    if "support_list" in blocks:
        context["intensive"] = await figures.households_with_support_need(
            session, agency_id, SupportNeed.INTENSIVE
        )
    if "sizes" in blocks:
        context["sizes"] = await figures.waiting_by_size(session, agency_id)
    if "waiting" in blocks:
        context["median_waiting_days"] = await figures.median_waiting_days(session, agency_id)
    if "accounts" in blocks:
        context["accounts"] = await accounts_by_role(session, agency_id)
    return context


@get("/staff", guards=[requires(*STAFF_ROLES)])
async def staff_home(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in staff member through
    context = await _context(db_session, user.role, user.agency_id)
    context["unit_statuses"] = list(UnitStatus)
    context["household_statuses"] = list(HouseholdStatus)
    return Template("staff/home.html", context=context)


staff_pages = [staff_home]
