"""Household documents: checked by content and size, stored in the file store, removable only
before the application is verified, and each view lands in the audit log."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.db import make_sessionmaker
from sra.files import StoredFile
from sra.households.document_store import MAX_BYTES, OWNER_KIND
from sra.households.documents import DocumentKind, HouseholdDocument
from sra.jobs import run_due_jobs
from sra.register.models import HouseholdStatus
from sra.settings import Settings
from tenant_portal.documents import UPLOAD_BODY_LIMIT
from tests.landlord_portal.accounts import Client, count, error_beside, post
from tests.media import media_files
from tests.tenant_portal.test_profile_pages import PDF, signed_in_household, upload


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, fmt)
    return out.getvalue()


async def test_pdf_jpeg_and_png_are_kept_under_their_real_type(
    client: Client, db: AsyncSession, var_dir: Path
) -> None:
    household = await signed_in_household(client, db)

    for content, name, kind in (
        (PDF, "passport.pdf", "identity"),
        (image("JPEG"), "payslip.jpeg", "income"),
        (image("PNG"), "eviction notice", "situation"),
    ):
        response = await upload(client, content, name, kind)
        assert response.status_code == 303, response.text

    rows = (
        (
            await db.execute(
                select(HouseholdDocument, StoredFile).join(
                    StoredFile, StoredFile.id == HouseholdDocument.file_id
                )
            )
        )
        .tuples()
        .all()
    )
    kept = {(d.kind, f.filename, f.content_type) for d, f in rows}
    assert kept == {
        (DocumentKind.IDENTITY, "passport.pdf", "application/pdf"),
        (DocumentKind.INCOME, "payslip.jpg", "image/jpeg"),
        (DocumentKind.SITUATION, "eviction notice.png", "image/png"),
    }
    assert {(f.owner_kind, f.owner_id) for _d, f in rows} == {(OWNER_KIND, str(household.id))}
    assert len(media_files(var_dir)) == 3
    page = (await client.get("/tenant/documents")).text
    for _d, stored in rows:
        assert f'href="/files/{stored.id}"' in page


REFUSED = [
    ("ELF executable", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "tool.pdf"),
    ("Windows executable", b"MZ\x90\x00\x03" + b"\x00" * 64, "scan.pdf"),
    ("PDF renamed .exe", PDF, "setup.exe"),
    ("a script", b"#!/bin/sh\nrm -rf /\n", "notice.png"),
    ("WebP (not a document format)", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "id.webp"),
    ("a Word file", b"PK\x03\x04" + b"\x00" * 40, "letter.docx"),
]


@pytest.mark.parametrize(("what", "content", "name"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_anything_but_a_pdf_jpeg_or_png_is_refused_and_nothing_is_stored(
    client: Client, db: AsyncSession, var_dir: Path, what: str, content: bytes, name: str
) -> None:
    await signed_in_household(client, db)

    response = await upload(client, content, name)

    assert response.status_code == 400, what
    assert "PDF, JPEG or PNG" in error_beside(response.text, "file")
    assert await count(db, HouseholdDocument) == 0
    assert await count(db, StoredFile) == 0
    assert media_files(var_dir) == []


async def test_a_file_over_the_cap_is_refused_with_the_cap_said(
    client: Client, db: AsyncSession, var_dir: Path
) -> None:
    await signed_in_household(client, db)

    response = await upload(client, PDF + b"0" * MAX_BYTES, "big.pdf")

    assert response.status_code == 400
    assert "at most 10 MB" in error_beside(response.text, "file")
    assert await count(db, StoredFile) == 0
    assert media_files(var_dir) == []


async def test_a_sending_above_the_forms_limit_gets_a_page_that_says_so(
    client: Client, db: AsyncSession, var_dir: Path
) -> None:
    await signed_in_household(client, db)

    response = await upload(client, PDF + b"0" * UPLOAD_BODY_LIMIT, "scan.pdf")

    assert response.status_code == 413
    assert "too large for this form" in response.text
    assert "Traceback" not in response.text
    assert await count(db, StoredFile) == 0
    assert media_files(var_dir) == []


async def test_a_missing_file_or_kind_is_said_beside_the_field(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db)

    no_kind = await upload(client, PDF, "id.pdf", kind="diploma")
    no_file = await post(client, "/tenant/documents", {"kind": "identity"})

    assert no_kind.status_code == 400
    assert "what kind of document" in error_beside(no_kind.text, "kind")
    assert no_file.status_code == 400
    assert "choose a file" in error_beside(no_file.text, "file")
    assert await count(db, HouseholdDocument) == 0


async def test_a_draft_document_is_removed_with_its_bytes_once_the_job_runs(
    client: Client, db: AsyncSession, var_dir: Path, settings: Settings
) -> None:
    await signed_in_household(client, db)
    await upload(client, PDF, "id.pdf")
    document = await db.scalar(select(HouseholdDocument))
    assert document is not None

    response = await post(client, f"/tenant/documents/{document.id}/delete", {})

    assert response.status_code == 303
    assert await count(db, HouseholdDocument) == 0
    assert await count(db, StoredFile) == 0
    assert len(media_files(var_dir)) == 1  # until the job that follows the commit runs
    await run_due_jobs(make_sessionmaker(db.bind), settings)  # type: ignore[arg-type]
    assert media_files(var_dir) == []


async def test_after_verification_documents_can_be_added_but_not_removed(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db, HouseholdStatus.ACTIVE)
    assert (await upload(client, PDF, "new-payslip.pdf", "income")).status_code == 303
    document = await db.scalar(select(HouseholdDocument))
    assert document is not None

    page = (await client.get("/tenant/documents")).text
    response = await post(client, f"/tenant/documents/{document.id}/delete", {})

    assert "/delete" not in page
    assert response.status_code == 409
    assert "cannot be removed once your application is sent" in response.text
    assert await count(db, HouseholdDocument) == 1
