"""The demo listings: unit types, packages, generated photos and notifications after `seed-demo`."""

from __future__ import annotations

import io

import msgspec
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files import FileStore, StoredFile
from sra.notifications import Notification
from sra.register.models import Unit
from sra.register.photos import UnitPhoto
from sra.register.rent_caps import UnitType
from sra.settings import Settings
from sra_app.demo_cli import seed
from sra_app.demo_listings import demo_photo


def test_a_demo_photo_is_a_jpeg_with_its_caption_drawn() -> None:
    image = Image.open(io.BytesIO(demo_photo("Kitchen", (200, 180, 150))))
    assert (image.format, image.size) == ("JPEG", (1200, 800))


async def test_seeded_units_have_types_packages_photos_and_notices(
    settings: Settings, db: AsyncSession
) -> None:
    demo = msgspec.structs.replace(settings, demo=True)

    await seed(demo, if_empty=False)

    units = {u.label: u for u in await db.scalars(select(Unit))}
    assert units["Flat 3"].unit_type is UnitType.STUDIO
    assert units["Duplex"].unit_type is UnitType.HOUSE
    assert units["Garden flat"].furnished
    assert units["Flat 3"].package_id is None
    assert all(u.package_id is not None for label, u in units.items() if label != "Flat 3")
    photos = (await db.scalars(select(UnitPhoto))).all()
    assert len(photos) == 4
    store = FileStore.from_settings(demo)
    for photo in photos:
        stored = await db.get_one(StoredFile, photo.file_id)
        assert stored.owner_kind == "unit_photo"
        assert (await store.read(stored)).startswith(b"\xff\xd8\xff")
    assert (await db.scalars(select(Notification))).first() is not None
