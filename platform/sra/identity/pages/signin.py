"""Sign-in, sign-out and the staff second factor."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.identity import totp
from sra.identity.current import SESSION_COOKIE, CurrentUser
from sra.identity.forms import field
from sra.identity.models import User
from sra.identity.pages.request_info import client_ip, page, session_maker_of, settings_of
from sra.identity.passwords import hash_password, verify_password_async
from sra.identity.service import confirm_second_factor, find_by_identifier
from sra.identity.sessions import (
    clear_session_cookie,
    end_session_by_token,
    mark_second_factor_done,
    set_session_cookie,
    start_session,
)
from sra.identity.throttle import is_blocked, note_attempt
from sra.web.guards import AnyRequest, current_user, public
from sra.web.shell import safe_next

AFTER_SIGN_IN = "/dashboard"


@cache
def _decoy_hash() -> str:
    """Checked against when the account does not exist, so both cases take as long."""
    return hash_password("not-a-real-password-at-all")


def _with_next(path: str, target: str) -> str:
    return f"{path}?next={quote(target)}" if target != AFTER_SIGN_IN else path


def _too_many(settings_minutes: int) -> str:
    return _(
        "Too many failed attempts. For your safety, please wait {minutes} minutes and try again."
    ).format(minutes=settings_minutes)


class SignInController(Controller):
    include_in_schema = False

    @get("/login", guards=[public])
    async def login_form(self, request: AnyRequest, next: FromQuery[str] = "") -> Response[Any]:
        notice = {
            "confirmed": _("Your e-mail address is confirmed. You can sign in now."),
            "reset": _("Your new password is saved. Please sign in with it."),
            "activated": _("Your account is ready. Please sign in with your new password."),
        }.get(request.query_params.get("done", ""))
        return page("login.html", values={"next": safe_next(next, "")}, notice=notice)

    @post("/login", guards=[public])
    async def login(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        settings = settings_of(request)
        form = await request.form()
        identifier = field(form, "email")
        password = field(form, "password", strip=False)
        target = safe_next(field(form, "next"), AFTER_SIGN_IN)
        values = {"email": identifier, "next": field(form, "next")}
        errors: dict[str, str] = {}
        if not identifier:
            errors["email"] = _("Please enter your e-mail address or username.")
        if not password:
            errors["password"] = _("Please enter your password.")
        if errors:
            return page("login.html", 400, values=values, errors=errors)
        ip, maker = client_ip(request), session_maker_of(request)
        if await is_blocked(maker, settings, identifier, ip):
            alert = _too_many(settings.login_window_minutes)
            return page("login.html", 429, values=values, alert=alert)
        user = await find_by_identifier(db_session, identifier)
        password_ok = await verify_password_async(
            user.password_hash if user and user.password_hash else _decoy_hash(), password
        )
        if user is None or not user.password_hash or not password_ok:
            await note_attempt(maker, identifier, ip, succeeded=False)
            errors["password"] = _("The e-mail address, username or password is not right.")
            return page("login.html", 400, values=values, errors=errors)
        await note_attempt(maker, identifier, ip, succeeded=True)
        refusal = _refusal(user)
        if refusal:
            return page("login.html", 400, values=values, alert=refusal)
        await end_session_by_token(db_session, request.cookies.get(SESSION_COOKIE))
        token = await start_session(db_session, user, settings, ip)
        if user.role.is_staff:
            step = (
                "/login/second-factor" if user.totp_confirmed_at else "/login/setup-second-factor"
            )
            target = _with_next(step, target)
        response = Redirect(target, status_code=303)
        set_session_cookie(response, token, settings)
        return response

    @post("/logout", guards=[public], status_code=303)
    async def logout(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        await end_session_by_token(db_session, request.cookies.get(SESSION_COOKIE))
        response = Redirect("/", status_code=303)
        clear_session_cookie(response, settings_of(request))
        return response

    @get("/login/second-factor", guards=[public])
    async def second_factor_form(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        next: FromQuery[str] = "",
    ) -> Response[Any]:
        user = await _pending_staff(request, db_session, next)
        if not isinstance(user, User):
            return user
        if user.totp_confirmed_at is None:
            return Redirect(
                _with_next("/login/setup-second-factor", safe_next(next, AFTER_SIGN_IN))
            )
        return page("second_factor.html", values={"next": safe_next(next, "")})

    @post("/login/second-factor", guards=[public])
    async def second_factor(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        user = await _pending_staff(request, db_session, field(form, "next"))
        if not isinstance(user, User):
            return user
        values = {"next": field(form, "next")}
        error = await _check_code(request, user, user.totp_secret, field(form, "code"))
        if error:
            status, message = error
            return page("second_factor.html", status, values=values, errors={"code": message})
        await mark_second_factor_done(db_session, _session_id(request))
        return Redirect(safe_next(field(form, "next"), AFTER_SIGN_IN), status_code=303)

    @get("/login/setup-second-factor", guards=[public])
    async def setup_form(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        next: FromQuery[str] = "",
    ) -> Response[Any]:
        user = await _pending_staff(request, db_session, next)
        if not isinstance(user, User):
            return user
        if user.totp_confirmed_at is not None:
            return Redirect(_with_next("/login/second-factor", safe_next(next, AFTER_SIGN_IN)))
        if not user.totp_secret:
            # Kept (unconfirmed) so that reloading the page shows the same QR code.
            user.totp_secret = totp.new_secret()
        return _setup_page(user, {"next": safe_next(next, "")})

    @post("/login/setup-second-factor", guards=[public])
    async def setup(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        user = await _pending_staff(request, db_session, field(form, "next"))
        if not isinstance(user, User):
            return user
        values = {"next": field(form, "next")}
        if user.totp_confirmed_at is not None or not user.totp_secret:
            return Redirect(_with_next("/login/second-factor", AFTER_SIGN_IN), status_code=303)
        error = await _check_code(request, user, user.totp_secret, field(form, "code"))
        if error:
            status, message = error
            return _setup_page(user, values, status, {"code": message})
        await confirm_second_factor(db_session, user, user.totp_secret, client_ip(request))
        await mark_second_factor_done(db_session, _session_id(request))
        return Redirect(safe_next(field(form, "next"), AFTER_SIGN_IN), status_code=303)


def _refusal(user: User) -> str | None:
    if not user.is_active:
        return _("This account is closed. Please contact the agency if you need it again.")
    if user.email and user.email_confirmed_at is None:
        return _(
            "Please confirm your e-mail address first: open the link in the e-mail we sent you. "
            "If you cannot find it, use “Forgot your password?” to get a new link."
        )
    return None


def _session_id(request: AnyRequest) -> Any:
    user = current_user(request)
    assert user is not None
    return user.session_id


async def _pending_staff(
    request: AnyRequest, db_session: AsyncSession, next_path: str
) -> User | Response[Any]:
    """The staff member between password and second factor, or where to send anyone else."""
    current: CurrentUser | None = current_user(request)
    if current is None:
        return Redirect("/login", status_code=303)
    if current.fully_signed_in:
        return Redirect(safe_next(next_path, AFTER_SIGN_IN), status_code=303)
    user = await db_session.get(User, current.id)
    return user if user is not None else Redirect("/login", status_code=303)


async def _check_code(
    request: AnyRequest, user: User, secret: str | None, code: str
) -> tuple[int, str] | None:
    """None when the code is right; else the status and message. Guessing is throttled."""
    settings, maker, ip = settings_of(request), session_maker_of(request), client_ip(request)
    key = f"second-factor:{user.id}"
    if await is_blocked(maker, settings, key, ip):
        return 429, _too_many(settings.login_window_minutes)
    if not code:
        return 400, _("Please enter the 6-digit code from your authenticator app.")
    if not totp.code_is_valid(secret, code):
        await note_attempt(maker, key, ip, succeeded=False)
        return 400, _("This code is not right. Enter the code your app shows now.")
    return None


def _setup_page(
    user: User, values: dict[str, str], status: int = 200, errors: dict[str, str] | None = None
) -> Response[Any]:
    assert user.totp_secret is not None
    uri = totp.provisioning_uri(user.totp_secret, user.email or user.username or str(user.id))
    return page(
        "setup_second_factor.html",
        status,
        values=values,
        errors=errors or {},
        qr_svg=totp.qr_svg(uri),
        secret=totp.grouped(user.totp_secret),
    )
