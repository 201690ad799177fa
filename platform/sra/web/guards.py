"""Role guards. Every route names the roles that may call it.

Anonymous callers get 401 (pages redirect to sign-in), a signed-in user of another role
gets 403, and staff who have not yet given their second factor are sent to give it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from sra.identity.current import CurrentUser
from sra.identity.roles import STAFF_ROLES, Role

# A request of any user, state and auth types, as route handlers receive it.
AnyRequest = Request[Any, Any, Any]
Guard = Callable[[ASGIConnection, BaseRouteHandler], None]  # type: ignore[type-arg]


class SecondFactorRequired(NotAuthorizedException):
    """A staff member signed in with a password but has not given the second factor yet."""


def current_user(connection: ASGIConnection) -> CurrentUser | None:  # type: ignore[type-arg]
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def signed_in_user(connection: ASGIConnection) -> CurrentUser:  # type: ignore[type-arg]
    """The user on a route whose guard has already let only signed-in users through."""
    user = current_user(connection)
    assert user is not None, "signed_in_user() on a route without a sign-in guard"
    return user


def requires(*roles: Role) -> Guard:
    allowed = frozenset(roles)

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if not user.fully_signed_in:
            raise SecondFactorRequired()
        if user.role not in allowed:
            raise PermissionDeniedException()

    guard.__name__ = "requires_" + "_or_".join(sorted(r.value for r in allowed))
    return guard


def signed_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    if not user.fully_signed_in:
        raise SecondFactorRequired()


def public(_connection: ASGIConnection, _handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """Marks a route as open to everyone, on purpose (landing, sign-in, health)."""


staff_only = requires(*STAFF_ROLES)
