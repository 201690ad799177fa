"""The file store: random keys on disk, atomic writes, policy-checked and audited reads."""

from __future__ import annotations

import hashlib
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.files import (
    FileStore,
    StoredFile,
    clean_filename,
    register_access_policy,
    sniff_content_type,
)
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.settings import Settings
from tests.sra.audit.accounts import sign_in

PDF = b"%PDF-1.7\n%test document\n"
OWN_DOCUMENT = "test_own_document"


async def only_the_owner(session: AsyncSession, user: CurrentUser, stored: StoredFile) -> bool:
    return stored.owner_id == str(user.id)


register_access_policy(OWN_DOCUMENT, only_the_owner)


async def save(
    db: AsyncSession,
    settings: Settings,
    owner_id: UUID,
    *,
    kind: str = OWN_DOCUMENT,
    filename: str = "Lease contract é.pdf",
) -> StoredFile:
    stored = await FileStore.from_settings(settings).save(
        db,
        data=PDF,
        filename=filename,
        content_type="application/pdf",
        owner_kind=kind,
        owner_id=str(owner_id),
        uploaded_by=None,
    )
    await db.commit()
    return stored


async def test_saved_file_lives_under_a_random_key_never_its_uploaded_name(
    db: AsyncSession, settings: Settings
) -> None:
    stored = await save(db, settings, uuid4(), filename="../../etc/passwd")
    store = FileStore.from_settings(settings)
    assert stored.filename == "passwd"
    assert "passwd" not in stored.storage_key
    assert (stored.size_bytes, stored.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    path = store.path(stored)
    assert path.is_relative_to(settings.media_dir)
    assert path.read_bytes() == PDF
    assert await store.read(stored) == PDF
    with store.open(stored) as handle:
        assert handle.read() == PDF
    on_disk = [p for p in settings.media_dir.rglob("*") if p.is_file()]
    assert on_disk == [path]  # no temporary file left behind


async def test_two_uploads_of_the_same_name_get_different_keys(
    db: AsyncSession, settings: Settings
) -> None:
    first = await save(db, settings, uuid4(), filename="photo.jpg")
    second = await save(db, settings, uuid4(), filename="photo.jpg")
    assert first.storage_key != second.storage_key


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("C:\\Users\\anna\\payslip.pdf", "payslip.pdf"),
        ("/tmp/x/../id card.png", "id card.png"),
        ("\x00\x1b[31mred.txt", "[31mred.txt"),
        ("..", "file"),
        ("", "file"),
    ],
)
def test_uploaded_names_are_reduced_to_a_plain_file_name(uploaded: str, kept: str) -> None:
    assert clean_filename(uploaded) == kept


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (b"<html><script>", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_content_type_is_sniffed_from_magic_bytes(head: bytes, kind: str | None) -> None:
    assert sniff_content_type(head) == kind


async def test_owner_downloads_the_file_as_an_attachment_and_the_read_is_audited(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    owner = await sign_in(client, db, Role.HOUSEHOLD)
    stored = await save(db, settings, owner.id)
    response = await client.get(f"/files/{stored.id}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.headers["content-disposition"] == (
        'attachment; filename="Lease contract _.pdf"; '
        "filename*=UTF-8''Lease%20contract%20%C3%A9.pdf"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "file.read"))
    assert entry is not None
    assert (entry.actor_id, entry.entity, entry.entity_id) == (
        owner.id,
        "stored_file",
        str(stored.id),
    )


async def test_a_pdf_asked_inline_is_shown_in_the_page_and_only_framed_by_the_site(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    owner = await sign_in(client, db, Role.HOUSEHOLD)
    stored = await save(db, settings, owner.id)
    response = await client.get(f"/files/{stored.id}", params={"inline": "1"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline; ")
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'self'"
    )
    download = await client.get(f"/files/{stored.id}")
    assert download.headers["content-disposition"].startswith("attachment; ")
    assert download.headers["content-security-policy"] == "default-src 'none'; sandbox"


async def test_a_file_of_another_kind_is_never_inline(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    owner = await sign_in(client, db, Role.HOUSEHOLD)
    stored = await FileStore.from_settings(settings).save(
        db,
        data=b"name,amount\n",
        filename="list.csv",
        content_type="text/csv",
        owner_kind=OWN_DOCUMENT,
        owner_id=str(owner.id),
        uploaded_by=None,
    )
    await db.commit()
    response = await client.get(f"/files/{stored.id}", params={"inline": "1"})
    assert response.headers["content-disposition"].startswith("attachment; ")
    assert "sandbox" in response.headers["content-security-policy"]


async def test_reader_without_rights_gets_404(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await sign_in(client, db, Role.HOUSEHOLD)
    someone_else = await save(db, settings, uuid4())
    response = await client.get(f"/files/{someone_else.id}")
    assert response.status_code == 404
    assert PDF not in response.content
    assert await db.scalar(select(AuditEntry)) is None


async def test_file_of_an_owner_kind_without_policy_is_never_served(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    user = await sign_in(client, db, Role.ADMINISTRATOR)
    stored = await save(db, settings, user.id, kind="test_kind_nobody_registered")
    assert (await client.get(f"/files/{stored.id}")).status_code == 404


async def test_unknown_file_id_is_404(client: AsyncTestClient[Litestar], db: AsyncSession) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    assert (await client.get(f"/files/{uuid4()}")).status_code == 404


async def test_anonymous_visitor_is_sent_to_sign_in(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    stored = await save(db, settings, uuid4())
    response = await client.get(f"/files/{stored.id}", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


async def test_media_folder_is_not_served_as_static_files(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    stored = await save(db, settings, uuid4())
    for path in (f"/static/{stored.storage_key}", f"/media/{stored.storage_key}"):
        response = await client.get(path)
        assert response.status_code == 404
        assert PDF not in response.content
