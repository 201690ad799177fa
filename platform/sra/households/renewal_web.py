"""The administrator's renewal settings: ``/admin/households/renewal``.

Two whole numbers of days from 0 to 365: how long before the due date reminders start, and how
long after it an unconfirmed profile stays active. Bad input stores nothing.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.renewal import MAX_DAYS, set_renewal_days
from sra.i18n import gettext as _
from sra.identity.forms import Errors, field
from sra.identity.roles import Role
from sra.register.form_values import whole_numbers
from sra.web.agency import callers_agency
from sra.web.audit_trail import record_change
from sra.web.guards import AnyRequest, requires

PATH = "/admin/households/renewal"
FIELDS = ("renewal_reminder_days", "renewal_grace_days")


def read_days(values: dict[str, str]) -> tuple[dict[str, int], Errors]:
    """The two settings as numbers, or one message per wrong field."""
    message = _("Please enter a whole number of days from 0 to {n}.").format(n=MAX_DAYS)
    return whole_numbers(values, dict.fromkeys(FIELDS, (0, MAX_DAYS)), message=message)


def _page(
    values: dict[str, str], *, errors: Errors | None = None, saved: bool = False, status: int = 200
) -> Template:
    return Template(
        "households/renewal_settings.html",
        status_code=status,
        context={"values": values, "errors": errors or {}, "saved": saved},
    )


class RenewalSettingsController(Controller):
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
        agency = await callers_agency(request, db_session)
        values = {name: str(getattr(agency, name)) for name in FIELDS}
        return _page(values, saved=done == "saved")

    @post("/", status_code=303)
    async def save(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        agency = await callers_agency(request, db_session)
        form = await request.form()
        values = {name: field(form, name) for name in FIELDS}
        days, errors = read_days(values)
        if errors:
            return _page(values, errors=errors, status=400)
        await set_renewal_days(
            db_session,
            agency,
            reminder_days=days["renewal_reminder_days"],
            grace_days=days["renewal_grace_days"],
        )
        await record_change(
            request,
            db_session,
            action="renewal_settings.saved",
            entity="renewal_settings",
            entity_id=agency.id,
            after=days,
        )
        return Redirect(f"{PATH}?done=saved", status_code=303)


renewal_settings_pages = [RenewalSettingsController]
