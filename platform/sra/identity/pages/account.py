"""Pages anyone reaches without signing in: register, confirm, forgotten password, activation."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.identity.forms import (
    Errors,
    check_display_name,
    check_email,
    check_new_password,
    field,
)
from sra.identity.household_accounts import activate as activate_with_code
from sra.identity.pages.request_info import (
    client_ip,
    page,
    request_locale,
    session_maker_of,
    settings_of,
)
from sra.identity.recovery import request_reset, reset_link_is_valid, reset_password
from sra.identity.registration import (
    AccountKind,
    AgencyMissing,
    confirm_email,
    register_self,
    the_agency,
)
from sra.identity.throttle import is_blocked, note_attempt
from sra.web.guards import AnyRequest, public


def _kind(value: str) -> AccountKind | None:
    try:
        return AccountKind(value)
    except ValueError:
        return None


def _no_agency() -> Response[Any]:
    return page(
        "message.html",
        503,
        title=_("Registration is not open yet"),
        message=_("The agency is not set up yet. Please come back later."),
    )


def _spent_link() -> Response[Any]:
    return page(
        "message.html",
        400,
        title=_("This link does not work any more"),
        message=_(
            "The link was already used or it has expired. You can ask for a new one on the "
            "“Forgot your password?” page."
        ),
        link=("/password/forgot", _("Ask for a new link")),
    )


def _registration_errors(values: dict[str, str], password: str, confirm: str) -> Errors:
    errors: Errors = {}
    if _kind(values["as"]) is None:
        errors["as"] = _("Please choose whether you offer a flat or look for a home.")
    for name, error in (
        ("display_name", check_display_name(values["display_name"])),
        ("email", check_email(values["email"])),
    ):
        if error:
            errors[name] = error
    errors.update(check_new_password(password, confirm))
    return errors


class AccountController(Controller):
    include_in_schema = False

    @get("/register", guards=[public])
    async def register_form(
        self,
        db_session: NamedDependency[AsyncSession],
        kind: Annotated[str, QueryParameter(name="as")] = "",
    ) -> Response[Any]:
        if await the_agency(db_session) is None:
            return _no_agency()
        return page("register.html", values={"as": kind if _kind(kind) else ""})

    @post("/register", guards=[public])
    async def register(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        values = {name: field(form, name) for name in ("display_name", "email", "as")}
        password = field(form, "password", strip=False)
        errors = _registration_errors(
            values, password, field(form, "password_confirm", strip=False)
        )
        if errors:
            return page("register.html", 400, values=values, errors=errors)
        kind = _kind(values["as"])
        assert kind is not None
        try:
            await register_self(
                db_session,
                settings_of(request),
                kind=kind,
                display_name=values["display_name"],
                email=values["email"],
                password=password,
                locale=request_locale(request),
                ip_address=client_ip(request),
            )
        except AgencyMissing:
            return _no_agency()
        return Redirect("/register/sent", status_code=303)

    @get("/register/sent", guards=[public])
    async def register_sent(self) -> Response[Any]:
        return page(
            "message.html",
            title=_("Please check your mailbox"),
            message=_(
                "We have sent you an e-mail with a link. Open it to confirm your e-mail address; "
                "then you can sign in."
            ),
        )

    @get("/confirm/{token:str}", guards=[public])
    async def confirm(
        self, token: FromPath[str], db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        if await confirm_email(db_session, token) is None:
            return _spent_link()
        return Redirect("/login?done=confirmed")

    @get("/password/forgot", guards=[public])
    async def forgot_form(self) -> Response[Any]:
        return page("forgot.html", values={})

    @post("/password/forgot", guards=[public])
    async def forgot(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        email = field(form, "email")
        error = check_email(email)
        if error:
            return page("forgot.html", 400, values={"email": email}, errors={"email": error})
        await request_reset(db_session, settings_of(request), email)
        return Redirect("/password/forgot/sent", status_code=303)

    @get("/password/forgot/sent", guards=[public])
    async def forgot_sent(self) -> Response[Any]:
        return page(
            "message.html",
            title=_("Please check your mailbox"),
            message=_(
                "If an account uses this e-mail address, we have sent it a link to choose a new "
                "password. The link works for one hour."
            ),
        )

    @get("/password/reset/{token:str}", guards=[public])
    async def reset_form(
        self, token: FromPath[str], db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        if not await reset_link_is_valid(db_session, token):
            return _spent_link()
        return page("reset.html", token=token)

    @post("/password/reset/{token:str}", guards=[public])
    async def reset(
        self, token: FromPath[str], request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        password = field(form, "password", strip=False)
        errors = check_new_password(password, field(form, "password_confirm", strip=False))
        if errors:
            if not await reset_link_is_valid(db_session, token):
                return _spent_link()
            return page("reset.html", 400, token=token, errors=errors)
        if await reset_password(db_session, token, password) is None:
            return _spent_link()
        return Redirect("/login?done=reset", status_code=303)

    @get("/activate", guards=[public])
    async def activate_form(self) -> Response[Any]:
        return page("activate.html", values={})

    @post("/activate", guards=[public])
    async def activate_account(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        settings, maker, ip = settings_of(request), session_maker_of(request), client_ip(request)
        form = await request.form()
        values = {"username": field(form, "username"), "code": field(form, "code")}
        password = field(form, "password", strip=False)
        errors = check_new_password(password, field(form, "password_confirm", strip=False))
        if not values["username"]:
            errors["username"] = _("Please enter the username written on your letter.")
        if not values["code"]:
            errors["code"] = _("Please enter the activation code written on your letter.")
        if errors:
            return page("activate.html", 400, values=values, errors=errors)
        key = f"activate:{values['username'].lower()}"
        if await is_blocked(maker, settings, key, ip):
            alert = _(
                "Too many failed attempts. For your safety, please wait {minutes} minutes and "
                "try again."
            ).format(minutes=settings.login_window_minutes)
            return page("activate.html", 429, values=values, alert=alert)
        user = await activate_with_code(
            db_session, username=values["username"], code=values["code"], password=password
        )
        if user is None:
            await note_attempt(maker, key, ip, succeeded=False)
            errors["code"] = _(
                "This username and code do not match, or the code has expired or was already "
                "used. Please ask the agency for a new code."
            )
            return page("activate.html", 400, values=values, errors=errors)
        return Redirect("/login?done=activated", status_code=303)
