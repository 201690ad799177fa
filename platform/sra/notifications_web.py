"""``/notifications``: the signed-in user's notices, newest first, and marking them read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.notifications import latest, mark_read
from sra.web.guards import current_user, signed_in


@get("/notifications", guards=[signed_in], include_in_schema=False)
async def notifications_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in user through
    items = await latest(db_session, user.id, limit=100)
    return Template("notifications/list.html", context={"items": items})


@post("/notifications/read", guards=[signed_in], include_in_schema=False, status_code=303)
async def notifications_read(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Redirect:
    """Form field ``id``: one notice; without it every unread notice of the user."""
    user = current_user(request)
    assert user is not None
    raw = (await request.form()).get("id")
    try:
        notification_id = UUID(raw) if isinstance(raw, str) and raw else None
    except ValueError:
        return Redirect("/notifications", status_code=303)
    await mark_read(db_session, user.id, notification_id)
    return Redirect("/notifications", status_code=303)


notification_pages = [notifications_page, notifications_read]
