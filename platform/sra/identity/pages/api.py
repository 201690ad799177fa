"""The identity part of the JSON API."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Request, get

from sra.web.guards import signed_in
from sra.web.guards import signed_in_user as caller


class Me(msgspec.Struct):
    id: UUID
    role: str
    display_name: str
    locale: str | None


@get("/me", guards=[signed_in], tags=["identity"])
async def me(request: Request) -> Me:  # type: ignore[type-arg]
    """The signed-in user."""
    user = caller(request)
    return Me(id=user.id, role=user.role.value, display_name=user.display_name, locale=user.locale)
