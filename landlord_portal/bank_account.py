"""Asking to be paid on another bank account: password again, e-mail notice, staff approval."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.payout_accounts import (
    ChangeNotAllowed,
    check_bank_account,
    formatted_iban,
    pending_change,
    request_change,
)
from landlord_portal.profile import client_ip, own_landlord
from sra.i18n import gettext as _
from sra.identity.forms import Errors, field
from sra.identity.models import User
from sra.identity.passwords import verify_password_async
from sra.identity.roles import Role
from sra.identity.throttle import is_blocked, note_attempt
from sra.register.models import Landlord
from sra.settings import Settings
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

PATH = "/landlord/profile/bank-account"


async def _page(
    db_session: AsyncSession,
    landlord: Landlord,
    values: dict[str, str],
    errors: Errors | None = None,
    status: int = 200,
    alert: str | None = None,
) -> Template:
    return Template(
        "landlord/bank_account.html",
        context={
            "landlord": landlord,
            "values": values,
            "errors": errors or {},
            "alert": alert,
            "iban": formatted_iban(landlord.iban) if landlord.iban else None,
            "pending": await pending_change(db_session, landlord.id),
        },
        status_code=status,
    )


@get(PATH, guards=[requires(Role.LANDLORD)])
async def bank_account_form(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Response[Any]:
    landlord = await own_landlord(request, db_session)
    if landlord.iban is None:
        # No account yet: the first one is given with the profile.
        return Redirect("/landlord/profile", status_code=303)
    return await _page(db_session, landlord, {})


@post(PATH, guards=[requires(Role.LANDLORD)])
async def request_bank_account_change(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Response[Any]:
    landlord = await own_landlord(request, db_session)
    if landlord.iban is None:
        return Redirect("/landlord/profile", status_code=303)
    form = await request.form()
    values = {"iban": field(form, "iban"), "bic": field(form, "bic")}
    account, errors = check_bank_account(values["iban"], values["bic"])
    if account is not None and account.iban == landlord.iban and account.bic == landlord.bic:
        errors["iban"] = _("This is already the account we pay you on.")
    blocked, password_error = await _password_error(
        request, db_session, field(form, "password", strip=False)
    )
    if blocked:
        alert = _("Too many attempts. Please wait a few minutes and try again.")
        return await _page(db_session, landlord, values, errors, 429, alert)
    if password_error:
        errors["password"] = password_error
    if account is None or errors:
        return await _page(db_session, landlord, values, errors, 400)
    try:
        await request_change(
            db_session,
            landlord,
            account,
            actor=caller(request),
            ip_address=client_ip(request),
        )
    except ChangeNotAllowed:
        errors["iban"] = _("This is already the account we pay you on.")
        return await _page(db_session, landlord, values, errors, 400)
    return Redirect("/landlord/profile?done=change_requested", status_code=303)


async def _password_error(
    request: AnyRequest, db_session: AsyncSession, password: str
) -> tuple[bool, str | None]:
    """(blocked, message): the current password, checked and throttled like a sign-in."""
    user = caller(request)
    settings: Settings = request.app.state.settings
    maker: async_sessionmaker[AsyncSession] = request.app.state.session_maker
    key, ip = f"password-again:{user.id}", client_ip(request)
    if await is_blocked(maker, settings, key, ip):
        return True, None
    if not password:
        return False, _("Please enter your password to confirm the change.")
    account = await db_session.get(User, user.id)
    if not await verify_password_async(account.password_hash if account else None, password):
        await note_attempt(maker, key, ip, succeeded=False)
        return False, _("This password is not right.")
    return False, None


bank_account_pages = [bank_account_form, request_bank_account_change]
