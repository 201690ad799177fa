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
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.files.access import may_read
from sra.files.models import StoredFile
from sra.files.store import FileStore
from sra.web.guards import current_user, signed_in

SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "._- ")

audit.register_entity("stored_file", fields={"owner_kind", "owner_id"})


# Shown in the page when asked (?inline=1): kinds whose content the upload checks by its bytes.
VIEWABLE = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """``attachment`` (or ``inline``) with an ASCII fallback name and the exact name (RFC 5987)."""
    fallback = "".join(c if c in SAFE_CHARS else "_" for c in filename)
    return f"{disposition}; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(filename)}"


def _viewing_headers(stored: StoredFile, inline: bool) -> dict[str, str]:
    """Downloads and pictures stay sandboxed; a PDF shown in the page cannot be, because the
    browser's PDF viewer does not run in a sandboxed document: it may only be framed by us."""
    shown = inline and stored.content_type in VIEWABLE
    policy = "default-src 'none'; sandbox"
    if shown and stored.content_type == "application/pdf":
        policy = "default-src 'none'; frame-ancestors 'self'"
    return {
        "Content-Disposition": content_disposition(
            stored.filename, "inline" if shown else "attachment"
        ),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": policy,
    }


@get("/files/{file_id:uuid}", guards=[signed_in], include_in_schema=False)
async def read_file(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    file_id: FromPath[UUID],
    inline: FromQuery[bool] = False,
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
        headers=_viewing_headers(stored, inline),
    )


file_pages = [read_file]
