"""Audit entries for changes made through a staff page, credited to the signed-in user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.web.guards import current_user


async def record_change(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    *,
    action: str,
    entity: str,
    entity_id: UUID | str,
    after: Mapping[str, Any],
) -> None:
    """Log ``action`` on ``entity`` by the request's user and address, then flush."""
    user = current_user(request)
    await audit.record(
        session,
        actor_id=user.id if user else None,
        actor_label=user.display_name if user else "",
        action=action,
        entity=entity,
        entity_id=entity_id,
        after=after,
        ip_address=request.client.host if request.client else None,
    )
    # Flush here: a failure at the framework's commit would be swallowed after a 303.
    await session.flush()
