"""The household's documents: upload (field ``kind`` and multipart ``file``), list, remove.

The files are read through ``/files/{id}``, which checks the reader (the household itself or an
allocation officer of its agency) and audits every read. A refused upload re-renders the page
with status 400, the error beside the field, and stores nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files import FileStore
from sra.households import document_store as store
from sra.households.profile import EditMode, ProfileLocked, edit_mode, lock_of
from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.register.models import Household
from sra.web.guards import AnyRequest
from sra.web.guards import signed_in_user as caller
from tenant_portal.profile import households_only, own_household

# Bodies up to this size are read, so a too-large file gets an error beside the field (the
# document's own cap is store.MAX_BYTES); beyond it Litestar answers 413 before reading.
UPLOAD_BODY_LIMIT = 64 * 1024 * 1024


async def documents_page(
    db: AsyncSession,
    household: Household,
    *,
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    alert: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    mode = edit_mode(household)
    return Template(
        "tenant/documents.html",
        context={
            "household": household,
            "documents": await store.documents_of(db, household.id),
            "kind_label": store.DOCUMENT_KIND,
            "max_mb": store.MAX_MB,
            "may_upload": store.may_upload(household),
            "may_remove": store.may_remove(household),
            "mode": mode.value,
            "lock_reason": lock_of(household).message if mode is EditMode.LOCKED else "",
            "reverify": False,
            "values": values or {},
            "errors": errors or {},
            "alert": alert
            or (
                _("Nothing was saved. Please correct the fields marked below.") if errors else None
            ),
            "notice": notice,
        },
        status_code=status,
    )


@get("/tenant/documents", guards=[households_only])
async def documents(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    household = await own_household(request, db_session)
    notices = {"added": _("Your document is saved."), "removed": _("The document is removed.")}
    return await documents_page(db_session, household, notice=notices.get(done))


async def _read_upload(upload: object) -> tuple[bytes, str]:
    """At most one byte over the cap is read: enough to know the file is too large."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise store.DocumentRejected("file", store.choose_file_message())
    return await upload.read(store.MAX_BYTES + 1), upload.filename


@post("/tenant/documents", guards=[households_only], request_max_body_size=UPLOAD_BODY_LIMIT)
async def upload_document(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    form = await request.form()
    upload = form.get("file")
    try:
        return await _store_upload(request, db_session, form.get("kind"), upload)
    finally:
        # Closed whatever happens (a 404 too): the parsed upload holds a temporary file.
        if isinstance(upload, UploadFile):
            await upload.close()


async def _store_upload(
    request: AnyRequest, db: AsyncSession, kind: object, upload: object
) -> Template | Redirect:
    household = await own_household(request, db)
    values = {"kind": kind if isinstance(kind, str) else ""}
    try:
        data, filename = await _read_upload(upload)
        await store.add_document(
            db,
            FileStore.from_settings(request.app.state.settings),
            household,
            kind=values["kind"],
            data=data,
            filename=filename,
            actor=caller(request),
        )
    except ProfileLocked as locked:
        return await documents_page(db, household, alert=locked.message, status=409)
    except store.DocumentRejected as rejected:
        errors = {rejected.field: str(rejected)}
        return await documents_page(db, household, values=values, errors=errors, status=400)
    return Redirect("/tenant/documents?done=added", status_code=303)


@post("/tenant/documents/{document_id:uuid}/delete", guards=[households_only])
async def remove_document(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], document_id: FromPath[UUID]
) -> Template | Redirect:
    household = await own_household(request, db_session)
    document = await store.find_document(db_session, household.id, document_id)
    if document is None:
        raise NotFoundException()
    try:
        await store.remove_document(db_session, household, document, actor=caller(request))
    except ProfileLocked as locked:
        return await documents_page(db_session, household, alert=locked.message, status=409)
    return Redirect("/tenant/documents?done=removed", status_code=303)


document_pages: list[Any] = [documents, upload_document, remove_document]
