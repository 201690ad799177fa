"""Unit photos: checked by content, re-encoded without EXIF, thumbnailed, access-checked."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.db import make_sessionmaker
from sra.files import StoredFile
from sra.identity.roles import Role
from sra.jobs import run_due_jobs
from sra.register.photos import MAX_SIDE, THUMB_SIDE, UnitPhoto, process_photo
from sra.settings import Settings
from tests.landlord_portal.listing_steps import (
    Client,
    add_owner,
    create_unit,
    image_bytes,
    listing_counts,
    signed_in_owner,
    upload,
)
from tests.media import media_files
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_user


def photo_error(html: str) -> str:
    found = re.search(r'<span class="field-error" id="f-photo-error">([^<]*)</span>', html)
    assert found, "no error beside the photo field"
    return found.group(1)


def test_a_photo_is_re_encoded_upright_without_exif_and_within_size() -> None:
    photo = process_photo(image_bytes("JPEG", size=(4000, 3000), exif=True))

    image = Image.open(io.BytesIO(photo.image))
    thumb = Image.open(io.BytesIO(photo.thumbnail))
    assert image.format == "JPEG"
    assert thumb.format == "JPEG"
    assert not image.getexif()
    assert b"SecretCam" not in photo.image
    # Orientation 6 means "turn 90°": the stored photo is upright, so portrait now.
    assert (image.width, image.height) == (1500, MAX_SIDE)
    assert max(thumb.size) == THUMB_SIDE


def test_png_and_webp_stay_in_their_format() -> None:
    assert Image.open(io.BytesIO(process_photo(image_bytes("PNG")).image)).format == "PNG"
    assert Image.open(io.BytesIO(process_photo(image_bytes("WEBP")).image)).format == "WEBP"


async def test_two_photos_are_stored_and_shown_on_the_unit_page(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)

    for fmt, name in (("JPEG", "kitchen.jpg"), ("PNG", "living.png")):
        response = await upload(client, unit_id, image_bytes(fmt), name, f"image/{fmt.lower()}")
        assert response.status_code == 303, response.text

    photos = (await db.scalars(select(UnitPhoto).where(UnitPhoto.unit_id == unit_id))).all()
    assert len(photos) == 2
    files = (await db.scalars(select(StoredFile))).all()
    assert {f.owner_kind for f in files} == {"unit_photo"}
    assert {f.owner_id for f in files} == {unit_id}
    page = await client.get(f"/landlord/units/{unit_id}")
    for photo in photos:
        assert f'src="/files/{photo.thumbnail_id}"' in page.text
        image = await client.get(f"/files/{photo.file_id}")
        assert image.status_code == 200
        assert image.headers["content-type"] in ("image/jpeg", "image/png")


async def test_a_pdf_named_like_a_photo_is_refused_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    before = await listing_counts(db)

    response = await upload(client, unit_id, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "photo.jpg")

    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in photo_error(response.text)
    assert await listing_counts(db) == before


async def test_a_file_that_only_starts_like_a_jpeg_is_refused(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)

    response = await upload(client, unit_id, b"\xff\xd8\xff" + b"not really a photo" * 50)

    assert response.status_code == 400
    assert "could not be read" in photo_error(response.text)
    assert (await listing_counts(db))[2] == 0


async def test_a_30_mb_photo_gets_a_clear_error_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    big = image_bytes() + b"\0" * (30 * 1024 * 1024)

    response = await upload(client, unit_id, big)

    assert response.status_code == 400
    assert "too large" in photo_error(response.text)
    assert "10 MB" in photo_error(response.text)
    assert (await listing_counts(db))[2] == 0


async def test_a_removed_photo_is_no_longer_readable_and_its_bytes_leave_the_disk(
    client: Client, db: AsyncSession, var_dir: Path, settings: Settings
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    await upload(client, unit_id, image_bytes())
    photo = await db.scalar(select(UnitPhoto))
    assert photo is not None
    assert len(media_files(var_dir)) == 2  # the photo and its thumbnail
    token = client.cookies.get("sra_csrf")

    response = await client.post(
        f"/landlord/units/{unit_id}/photos/{photo.id}/delete",
        data={"_csrf_token": token or ""},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert (await client.get(f"/files/{photo.file_id}")).status_code == 404
    assert (await listing_counts(db))[2] == 0
    assert len(media_files(var_dir)) == 2  # until the job that follows the commit runs
    await run_due_jobs(make_sessionmaker(db.bind), settings)  # type: ignore[arg-type]
    assert media_files(var_dir) == []


async def test_photos_are_read_by_the_owner_and_the_agencys_officers_only(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    await upload(client, unit_id, image_bytes())
    photo = await db.scalar(select(UnitPhoto))
    assert photo is not None
    file_id = photo.file_id
    other_agency = await add_agency(db, "Other agency")
    readers = {
        "other landlord": (await add_owner(db, owner.agency)).user,
        "household": await add_user(db, Role.HOUSEHOLD, owner.agency_id),
        "intake officer": await add_user(db, Role.INTAKE_OFFICER, owner.agency_id),
        "allocation officer": await add_user(db, Role.ALLOCATION_OFFICER, owner.agency_id),
        "finance officer": await add_user(db, Role.FINANCE_OFFICER, owner.agency_id),
        "intake officer elsewhere": await add_user(db, Role.INTAKE_OFFICER, other_agency.id),
    }
    await db.commit()

    answers = {}
    for who, user in readers.items():
        await sign_in_as(client, db, user)
        answers[who] = (await client.get(f"/files/{file_id}")).status_code

    assert answers == {
        "other landlord": 404,
        "household": 404,
        "intake officer": 200,
        "allocation officer": 200,
        "finance officer": 404,
        "intake officer elsewhere": 404,
    }


async def test_another_landlord_cannot_add_or_remove_photos(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    await upload(client, unit_id, image_bytes())
    photo = await db.scalar(select(UnitPhoto))
    assert photo is not None
    photo_id = photo.id
    intruder = await add_owner(db, owner.agency, "Other Owner")
    await sign_in_as(client, db, intruder.user)
    token = client.cookies.get("sra_csrf") or ""

    added = await upload(client, unit_id, image_bytes())
    removed = await client.post(
        f"/landlord/units/{unit_id}/photos/{photo_id}/delete", data={"_csrf_token": token}
    )

    assert (added.status_code, removed.status_code) == (404, 404)
    assert len((await db.scalars(select(UnitPhoto))).all()) == 1
