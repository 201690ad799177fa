"""Officers open accounts for households without e-mail and hand over a printed code."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.identity.forms import Errors, check_display_name, check_username, field
from sra.identity.household_accounts import open_household_account
from sra.identity.pages.request_info import client_ip, page, request_locale
from sra.identity.registration import AgencyMissing
from sra.identity.roles import Role
from sra.identity.service import username_taken
from sra.identity.tokens import ACTIVATION_VALID, display_code
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

OFFICERS = (Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER, Role.CASEWORKER)


class HouseholdAccountsController(Controller):
    path = "/staff/household-accounts"
    guards = [requires(*OFFICERS)]
    include_in_schema = False

    @get("/new")
    async def new_form(self) -> Response[Any]:
        return page("household_account_new.html", values={})

    @post("/new")
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        values = {"display_name": field(form, "display_name"), "username": field(form, "username")}
        errors: Errors = {}
        for name, error in (
            ("display_name", check_display_name(values["display_name"])),
            ("username", check_username(values["username"])),
        ):
            if error:
                errors[name] = error
        if "username" not in errors and await username_taken(db_session, values["username"]):
            errors["username"] = _("This username is taken. Please choose another one.")
        if errors:
            return page("household_account_new.html", 400, values=values, errors=errors)
        try:
            opened = await open_household_account(
                db_session,
                display_name=values["display_name"],
                username=values["username"],
                locale=request_locale(request),
                actor=caller(request),
                ip_address=client_ip(request),
            )
        except AgencyMissing:
            return page(
                "message.html",
                503,
                title=_("Not possible yet"),
                message=_("The agency is not set up yet. Please come back later."),
            )
        # Shown here once and never again: only the code's hash is stored.
        return page(
            "household_account_code.html",
            user=opened.user,
            household=opened.household,
            code=display_code(opened.code),
            valid_days=ACTIVATION_VALID.days,
        )
