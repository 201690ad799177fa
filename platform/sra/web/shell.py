"""Pages every visitor reaches: landing, health, language choice, the dashboard redirect."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import LOCALES
from sra.identity.models import User
from sra.identity.roles import Role
from sra.web.context import LOCALE_COOKIE
from sra.web.guards import current_user, public, signed_in

HOME_BY_ROLE = {Role.LANDLORD: "/landlord", Role.HOUSEHOLD: "/tenant"}


class LocaleForm(msgspec.Struct):
    locale: str
    next: str = "/"


class Health(msgspec.Struct):
    status: str
    database: str


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: never redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class ShellController(Controller):
    include_in_schema = False

    @get("/", guards=[public])
    async def landing(self) -> Template:
        return Template("landing.html")

    @get("/dashboard", guards=[signed_in])
    async def dashboard(self, request: Request[Any, Any, Any]) -> Redirect:
        user = current_user(request)
        assert user is not None
        return Redirect(HOME_BY_ROLE.get(user.role, "/staff"))

    @post("/locale", guards=[public], status_code=303)
    async def choose_locale(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: Annotated[LocaleForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        locale = data.locale if data.locale in LOCALES else "en"
        user = current_user(request)
        if user is not None:
            await db_session.execute(update(User).where(User.id == user.id).values(locale=locale))
        response = Redirect(safe_next(data.next), status_code=303)
        response.set_cookie(
            LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
        return response


@get("/health", guards=[public], include_in_schema=True, tags=["system"])
async def health(db_session: NamedDependency[AsyncSession]) -> Health:
    """Liveness and database reachability."""
    await db_session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok")
