"""Storing a household's documents: checked by content, size-capped, readable by few.

An upload is kept only when its first bytes say PDF, JPEG or PNG (``sra.files.sniff``; the name
never makes a file acceptable) and it is at most ``MAX_BYTES``. A name that claims another kind
of file (``.exe``, ``.docx``) is refused too, and the stored name always ends in the extension
of what the file really is. The bytes live in the kernel's file store under owner kind
``OWNER_KIND`` with the household's id as owner id.

Who reads a document through ``/files/{id}`` (which audits every read): the household itself
and the allocation officers of its agency. Nobody else: not caseworkers, intake or finance
officers, managers, administrators or landlords.

Bytes are deleted by a job queued in the same transaction as the rows' deletion, so they go
only once the deletion is committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.files import FileStore, StoredFile, clean_filename, register_access_policy
from sra.files.removal import forget_files
from sra.files.sniff import JPEG, PDF, PNG, sniff_content_type
from sra.households.documents import OWNER_KIND, DocumentKind, HouseholdDocument
from sra.households.personal_data import eraser, exporter
from sra.households.profile import EditMode, ProfileLocked, edit_mode, lock_of
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Household, HouseholdStatus

MAX_BYTES = 10 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
MAX_DOCUMENTS = 40
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
NAMED_AS_ACCEPTED = frozenset({"pdf", "jpg", "jpeg", "png"})
KEPT_AFTER_SENDING = lazy(
    "Documents cannot be removed once your application is sent: the agency relies on them. "
    "If one is wrong, please upload the right one and tell the agency."
)

DOCUMENT_KIND: dict[DocumentKind, str] = {
    DocumentKind.IDENTITY: lazy("Identity document (identity card, passport or residence permit)"),
    DocumentKind.INCOME: lazy("Proof of income (pay slip, benefit or pension letter)"),
    DocumentKind.SITUATION: lazy(
        "Proof of your situation (eviction notice, refugee status, medical certificate)"
    ),
    DocumentKind.OTHER: lazy("Other document"),
}


class DocumentRejected(ValueError):
    """Not stored; ``field`` is the form field the translated message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def too_large_message() -> str:
    return _("The file is too large: at most {size} MB per document.").format(size=MAX_MB)


def choose_file_message() -> str:
    return _("Please choose a file to upload.")


def _extension(filename: str) -> str | None:
    """The name's extension when it looks like one (``Scan 12.05.2024`` has none)."""
    suffix = PurePosixPath(filename).suffix.lower().removeprefix(".")
    if 1 <= len(suffix) <= 5 and suffix.isalnum() and not suffix.isdigit():
        return suffix
    return None


def check_upload(data: bytes, filename: str) -> tuple[str, str]:
    """(content type, name to store) of an acceptable upload; DocumentRejected otherwise."""
    if not data:
        raise DocumentRejected("file", choose_file_message())
    if len(data) > MAX_BYTES:
        raise DocumentRejected("file", too_large_message())
    name = clean_filename(filename)
    claimed = _extension(name)
    content_type = sniff_content_type(data)
    if content_type not in EXTENSIONS or (claimed and claimed not in NAMED_AS_ACCEPTED):
        raise DocumentRejected(
            "file",
            _(
                "Please choose a PDF, JPEG or PNG file. A photo of a paper document taken with a "
                "phone is fine."
            ),
        )
    stem = name[: -len(claimed) - 1] if claimed else name
    return content_type, f"{stem or 'document'}.{EXTENSIONS[content_type]}"


def may_upload(household: Household) -> bool:
    """While the profile can be changed (not while an officer is checking it)."""
    return edit_mode(household) is not EditMode.LOCKED


def may_remove(household: Household) -> bool:
    """Only before the application is verified: after that an officer relied on it."""
    return household.status in (HouseholdStatus.DRAFT, HouseholdStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class ShownDocument:
    id: UUID
    kind: DocumentKind
    file_id: UUID
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: Any


async def documents_of(session: AsyncSession, household_id: UUID) -> list[ShownDocument]:
    rows = await session.execute(
        select(HouseholdDocument, StoredFile)
        .join(StoredFile, StoredFile.id == HouseholdDocument.file_id)
        .where(HouseholdDocument.household_id == household_id)
        .order_by(HouseholdDocument.created_at, HouseholdDocument.id)
    )
    return [
        ShownDocument(
            doc.id,
            doc.kind,
            doc.file_id,
            stored.filename,
            stored.content_type,
            stored.size_bytes,
            doc.created_at,
        )
        for doc, stored in rows.tuples()
    ]


async def add_document(
    session: AsyncSession,
    store: FileStore,
    household: Household,
    *,
    kind: str,
    data: bytes,
    filename: str,
    actor: CurrentUser,
) -> HouseholdDocument:
    """Check and store one document; DocumentRejected or ProfileLocked leave nothing behind."""
    if not may_upload(household):
        raise lock_of(household)
    try:
        chosen = DocumentKind(kind)
    except ValueError:
        raise DocumentRejected("kind", _("Please choose what kind of document this is.")) from None
    content_type, name = check_upload(data, filename)
    if len(await documents_of(session, household.id)) >= MAX_DOCUMENTS:
        raise DocumentRejected(
            "file", _("You can keep at most {count} documents.").format(count=MAX_DOCUMENTS)
        )
    stored = await store.save(
        session,
        data=data,
        filename=name,
        content_type=content_type,
        owner_kind=OWNER_KIND,
        owner_id=str(household.id),
        uploaded_by=actor.id,
    )
    document = HouseholdDocument(household_id=household.id, kind=chosen, file_id=stored.id)
    session.add(document)
    await session.flush()
    await _audit(session, actor, "household.document_added", document, after=True)
    return document


async def find_document(
    session: AsyncSession, household_id: UUID, document_id: UUID
) -> HouseholdDocument | None:
    """One of the household's own documents (another household's id finds nothing)."""
    document: HouseholdDocument | None = await session.scalar(
        select(HouseholdDocument).where(
            HouseholdDocument.id == document_id, HouseholdDocument.household_id == household_id
        )
    )
    return document


async def remove_document(
    session: AsyncSession, household: Household, document: HouseholdDocument, *, actor: CurrentUser
) -> None:
    if not may_remove(household):
        raise ProfileLocked(KEPT_AFTER_SENDING)
    await _audit(session, actor, "household.document_removed", document, after=False)
    stored = await session.get(StoredFile, document.file_id)
    await session.delete(document)
    await session.flush()
    if stored is not None:
        await forget_files(session, [stored])


async def _audit(
    session: AsyncSession,
    actor: CurrentUser,
    action: str,
    document: HouseholdDocument,
    *,
    after: bool,
) -> None:
    values = {"household_id": document.household_id, "kind": document.kind}
    values["file_id"] = document.file_id
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action=action,
        entity="household_document",
        entity_id=document.id,
        before=None if after else values,
        after=values if after else None,
    )


async def may_see_household_document(
    session: AsyncSession, user: CurrentUser, stored: StoredFile
) -> bool:
    """The household itself, or an allocation officer of the household's agency."""
    if user.role not in (Role.HOUSEHOLD, Role.ALLOCATION_OFFICER):
        return False
    row = (
        await session.execute(
            select(Household.id, Household.user_id, Household.agency_id)
            .join(HouseholdDocument, HouseholdDocument.household_id == Household.id)
            .where(HouseholdDocument.file_id == stored.id)
        )
    ).first()
    if row is None or str(row.id) != stored.owner_id:
        return False
    if user.role is Role.HOUSEHOLD:
        return bool(row.user_id == user.id)
    return user.agency_id is not None and bool(row.agency_id == user.agency_id)


register_access_policy(OWNER_KIND, may_see_household_document)


@exporter("documents")
async def export_documents(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    """What each document is (its bytes are read through the file store by the export)."""
    return [
        {
            "id": str(doc.id),
            "kind": doc.kind.value,
            "file_id": str(doc.file_id),
            "filename": doc.filename,
            "content_type": doc.content_type,
            "size_bytes": doc.size_bytes,
            "uploaded_at": doc.uploaded_at.isoformat(),
        }
        for doc in await documents_of(session, household.id)
    ]


@eraser("documents")
async def erase_documents(session: AsyncSession, household: Household) -> None:
    """Delete every document of the household, with its stored file and, by job, its bytes."""
    await session.execute(
        delete(HouseholdDocument).where(HouseholdDocument.household_id == household.id)
    )
    files = await session.scalars(
        select(StoredFile).where(
            StoredFile.owner_kind == OWNER_KIND, StoredFile.owner_id == str(household.id)
        )
    )
    await forget_files(session, list(files))
