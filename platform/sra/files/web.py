"""``GET /files/{id}``: a stored file for a reader its owner's policy allows, audited.

Media is never served as static files: every read goes through this route.
"""

from __future__ import annotations

import string
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.files.access import may_read
from sra.files.models import StoredFile
from sra.files.store import FileStore
from sra.web.guards import current_user, signed_in

SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "._- ")

audit.register_entity("stored_file", fields={"owner_kind", "owner_id"})


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(c if c in SAFE_CHARS else "_" for c in filename)
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(filename)}"


@get("/files/{file_id:uuid}", guards=[signed_in], include_in_schema=False)
async def read_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    file_id: FromPath[UUID],
) -> Response[bytes]:
    user = current_user(request)
    stored = await db_session.get(StoredFile, file_id)
    # Unknown id, unknown owner kind and "not yours" all look the same: 404.
    if user is None or stored is None or not await may_read(db_session, user, stored):
        raise NotFoundException()
    try:
        data = await FileStore.from_settings(request.app.state.settings).read(stored)
    except FileNotFoundError:
        raise NotFoundException() from None
    await audit.record(
        db_session,
        actor_id=user.id,
        actor_label=user.display_name,
        action="file.read",
        entity="stored_file",
        entity_id=stored.id,
        after={"owner_kind": stored.owner_kind, "owner_id": stored.owner_id},
        ip_address=request.client.host if request.client else None,
    )
    await db_session.flush()
    return Response(
        data,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": content_disposition(stored.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


file_pages = [read_file]
