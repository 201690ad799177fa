"""Per-request context: the signed-in user and the locale, set before any handler runs."""

from __future__ import annotations

from litestar.datastructures.headers import Headers
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from sra.i18n import negotiate, set_locale
from sra.identity.current import SESSION_COOKIE, CurrentUser, load_current_user
from sra.notifications import unread_count
from sra.settings import Settings

LOCALE_COOKIE = "sra_locale"


class RequestContextMiddleware(ASGIMiddleware):
    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        app = scope["litestar_app"]
        settings: Settings = app.state.settings
        cookies = _cookies(scope)
        user: CurrentUser | None = None
        unread = 0
        token = cookies.get(SESSION_COOKIE)
        if token:
            async with app.state.session_maker() as session:
                user = await load_current_user(session, token)
                if user is not None:
                    unread = await unread_count(session, user.id)
        scope["user"] = user
        # The header shows the count on every page, so it is read with the user.
        scope.setdefault("state", {})["unread_notifications"] = unread
        apply_locale(scope, settings, user.locale if user else None)
        await next_app(scope, receive, send)


def apply_locale(scope: Scope, settings: Settings, user_choice: str | None = None) -> str:
    """Negotiate the request's locale (user, cookie, Accept-Language, default) and use it."""
    chosen = user_choice or _cookies(scope).get(LOCALE_COOKIE)
    accept = Headers.from_scope(scope).get("accept-language", "")
    locale = negotiate(chosen, accept, settings.default_locale)
    scope.setdefault("state", {})["locale"] = locale
    set_locale(locale)
    return locale


def _cookies(scope: Scope) -> dict[str, str]:
    header = Headers.from_scope(scope).get("cookie", "")
    return SimpleCookieParser.parse(header)


class SimpleCookieParser:
    @staticmethod
    def parse(header: str) -> dict[str, str]:
        cookies: dict[str, str] = {}
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                cookies[name] = value.strip('"')
        return cookies
