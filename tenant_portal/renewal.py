"""``/tenant/renewal``: the household confirms once a year that its profile is up to date.

The page shows the due date and a summary of the profile; confirming moves the due date one
year on (see ``sra.households.renewal``) and puts an inactive application back on the list.
"""

from __future__ import annotations

from datetime import date

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households import renewal
from sra.households.privacy import household_with_profile
from sra.i18n import lazy
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Agency, Household, IncomeSource
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller
from tenant_portal.wording import access_needs

PATH = "/tenant/renewal"


async def _own(request: AnyRequest, session: AsyncSession) -> tuple[Household, Agency]:
    """The signed-in household and its agency; 404 while the account has no application."""
    household = await household_with_profile(session, user_id=_caller(request).id)
    agency = await session.get(Agency, household.agency_id) if household else None
    if household is None or agency is None:
        raise NotFoundException()
    return household, agency


def _page(household: Household, agency: Agency, *, confirmed: bool = False) -> Template:
    today = date.today()
    due = household.renewal_due_on
    return Template(
        "tenant/renewal.html",
        context={
            "household": household,
            "currency": agency.currency,
            "due_on": due,
            "is_due": renewal.is_due(household, agency, today),
            "on_register": household.status in renewal.RENEWING,
            "last_day": renewal.last_day_of_grace(due, agency) if due else None,
            "opens_on": renewal.reminders_start(due, agency) if due else None,
            "next_due_on": renewal.next_due_on(household, today),
            "needs": access_needs(household),
            "status_label": labels.HOUSEHOLD_STATUS,
            "relation_label": labels.RELATION,
            "income_label": INCOME_SOURCE,
            "confirmed": confirmed,
        },
    )


# Income sources as the household reads them (untranslated ids; the template translates).
INCOME_SOURCE: dict[IncomeSource, str] = {
    IncomeSource.WORK: lazy("Work"),
    IncomeSource.BENEFITS: lazy("Social benefits"),
    IncomeSource.UNEMPLOYMENT: lazy("Unemployment benefit"),
    IncomeSource.PENSION: lazy("Pension"),
    IncomeSource.DISABILITY_ALLOWANCE: lazy("Disability allowance"),
    IncomeSource.CHILD_BENEFIT: lazy("Child benefit"),
    IncomeSource.MAINTENANCE: lazy("Maintenance"),
    IncomeSource.OTHER: lazy("Other income"),
}


@get(PATH, guards=[requires(Role.HOUSEHOLD)])
async def renewal_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    household, agency = await _own(request, db_session)
    return _page(household, agency, confirmed=done == "confirmed")


@post(PATH, guards=[requires(Role.HOUSEHOLD)], status_code=303)
async def confirm(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Redirect:
    household, agency = await _own(request, db_session)
    try:
        await renewal.confirm_renewal(
            db_session,
            household,
            agency,
            actor=_caller(request),
            today=date.today(),
            ip_address=request.client.host if request.client else None,
        )
    except renewal.RenewalNotDue:
        # Nothing to confirm (an old tab, a second click): the page says when it will be.
        return Redirect(PATH, status_code=303)
    return Redirect(f"{PATH}?done=confirmed", status_code=303)


renewal_pages = [renewal_page, confirm]
