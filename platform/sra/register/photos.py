"""Unit photos: checked by content, re-encoded without metadata, thumbnailed, stored as files.

An upload is accepted only when its first bytes say JPEG, PNG or WebP *and* Pillow can decode
it. The stored image is a fresh encoding (EXIF, GPS position and comments dropped; turned
upright first), at most 2000 px on its longer side, with a 400 px thumbnail. Both are
``StoredFile`` rows of owner kind ``unit_photo`` (owner id: the unit's id), readable through
``/files/{id}`` by the unit's landlord and by the agency's intake and allocation officers.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import anyio.to_thread
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import ForeignKey, Integer, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base
from sra.files import FileStore, StoredFile, register_access_policy, sniff_content_type
from sra.files.removal import forget_files
from sra.files.sniff import JPEG, PNG, WEBP
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Building, Landlord, Unit

OWNER_KIND = "unit_photo"
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to ~160 MB: enough for any camera
MAX_SIDE = 2000
THUMB_SIDE = 400
MAX_PHOTOS_PER_UNIT = 20
ACCEPTED = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp"}
STAFF_READERS = frozenset({Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER})

# Other contexts may let more people see a unit's photos (matching: the household it is
# offered to). Each reader answers for one (user, unit id); any True lets the user read.
UnitPhotoReader = Callable[[AsyncSession, CurrentUser, UUID], Awaitable[bool]]
EXTRA_READERS: list[UnitPhotoReader] = []


def add_unit_photo_reader(reader: UnitPhotoReader) -> None:
    if reader not in EXTRA_READERS:
        EXTRA_READERS.append(reader)


class UnitPhoto(Base):
    __tablename__ = "unit_photo"

    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[UUID] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))
    thumbnail_id: Mapped[UUID] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class PhotoRejected(ValueError):
    """The upload is not a photo we keep; the message is translated and fit for the form."""


@dataclass(frozen=True)
class ProcessedPhoto:
    content_type: str
    image: bytes
    width: int
    height: int
    thumbnail: bytes


def process_photo(data: bytes) -> ProcessedPhoto:
    """Check and re-encode one upload (blocking: run it in a thread). Raises PhotoRejected."""
    if len(data) > MAX_BYTES:
        raise PhotoRejected(too_large_message())
    content_type = sniff_content_type(data)
    if content_type not in ACCEPTED:
        raise PhotoRejected(_("Please choose a photo in JPEG, PNG or WebP format."))
    image = _decode(data, ACCEPTED[content_type])
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    full = _encode(image, content_type)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return ProcessedPhoto(
        content_type, full, image.width, image.height, _encode(thumb, content_type)
    )


def too_large_message() -> str:
    return _("The photo is too large: at most {size} MB per photo.").format(
        size=MAX_BYTES // (1024 * 1024)
    )


def _decode(data: bytes, expected_format: str) -> Image.Image:
    broken = PhotoRejected(_("This file could not be read as a photo. Please choose another."))
    try:
        with warnings.catch_warnings():
            # A decompression bomb must be refused, not merely warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != expected_format:
                raise broken
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRejected(
                    _("The photo has too many pixels. Please choose a smaller one.")
                )
            image.load()
    except PhotoRejected:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise broken from None
    return image


def _encode(image: Image.Image, content_type: str) -> bytes:
    """A fresh file: no EXIF, XMP or comments (Pillow writes only the metadata it is given)."""
    out = io.BytesIO()
    if content_type == JPEG:
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        rgb.save(out, "JPEG", quality=85, optimize=True)
    elif content_type == PNG:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


async def add_unit_photo(
    session: AsyncSession,
    store: FileStore,
    unit: Unit,
    *,
    data: bytes,
    filename: str,
    uploaded_by: UUID | None,
) -> UnitPhoto:
    """Check, re-encode and store one photo of ``unit``; PhotoRejected leaves nothing behind."""
    if await photo_count(session, unit.id) >= MAX_PHOTOS_PER_UNIT:
        raise PhotoRejected(
            _("A flat can have at most {count} photos.").format(count=MAX_PHOTOS_PER_UNIT)
        )
    photo = await anyio.to_thread.run_sync(process_photo, data)
    stem = filename.rsplit(".", 1)[0] or "photo"
    extension = EXTENSIONS[photo.content_type]
    saved = [
        await store.save(
            session,
            data=content,
            filename=name,
            content_type=photo.content_type,
            owner_kind=OWNER_KIND,
            owner_id=str(unit.id),
            uploaded_by=uploaded_by,
        )
        for content, name in (
            (photo.image, f"{stem}.{extension}"),
            (photo.thumbnail, f"{stem}-thumbnail.{extension}"),
        )
    ]
    full, thumb = saved
    row = UnitPhoto(
        unit_id=unit.id,
        file_id=full.id,
        thumbnail_id=thumb.id,
        width=photo.width,
        height=photo.height,
    )
    session.add(row)
    await session.flush()
    return row


async def photos_of(session: AsyncSession, unit_id: UUID) -> list[UnitPhoto]:
    rows = await session.scalars(
        select(UnitPhoto)
        .where(UnitPhoto.unit_id == unit_id)
        .order_by(UnitPhoto.created_at, UnitPhoto.id)
    )
    return list(rows)


async def photo_count(session: AsyncSession, unit_id: UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(UnitPhoto).where(UnitPhoto.unit_id == unit_id)
    )
    return int(count or 0)


async def remove_unit_photo(session: AsyncSession, unit_id: UUID, photo_id: UUID) -> bool:
    """Delete the photo's rows, and its bytes once that commits; False when not this unit's."""
    photo = await session.scalar(
        select(UnitPhoto).where(UnitPhoto.id == photo_id, UnitPhoto.unit_id == unit_id)
    )
    if photo is None:
        return False
    files = [await session.get(StoredFile, i) for i in (photo.file_id, photo.thumbnail_id)]
    await session.delete(photo)
    await session.flush()
    await forget_files(session, files)
    return True


async def may_see_unit_photo(session: AsyncSession, user: CurrentUser, stored: StoredFile) -> bool:
    """The unit's own landlord, or an intake or allocation officer of the landlord's agency
    (or whoever an extra reader lets in)."""
    try:
        unit_id = UUID(stored.owner_id)
    except ValueError:
        return False
    for reader in EXTRA_READERS:
        if await reader(session, user, unit_id):
            return True
    row = (
        await session.execute(
            select(Landlord.user_id, Landlord.agency_id)
            .join(Building, Building.landlord_id == Landlord.id)
            .join(Unit, Unit.building_id == Building.id)
            .where(Unit.id == unit_id)
        )
    ).first()
    if row is None:
        return False
    if user.role is Role.LANDLORD:
        return bool(row.user_id == user.id)
    return user.role in STAFF_READERS and bool(user.agency_id == row.agency_id)


register_access_policy(OWNER_KIND, may_see_unit_photo)
