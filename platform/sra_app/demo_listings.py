"""Demo listings: unit types, chosen packages, generated photos and a few notifications.

Runs after the demo packages exist and before the demo leases are proposed (they read the
package each unit chose). The photos are drawn here with Pillow: plain rooms with a caption,
nothing photographed.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.packages import GuaranteePackage, PackageKind
from sra.files import FileStore
from sra.notifications import notify
from sra.register.models import Agency, Building, Landlord, Unit, UnitStatus
from sra.register.photos import add_unit_photo
from sra.register.rent_caps import UnitType
from sra.register.unit_status import NOTICES
from sra.settings import Settings

HOUSES = {"Duplex"}
FURNISHED = {"Garden flat", "A2.3"}
# Landlords whose flats are let under a mandate rather than a head lease (by demo e-mail).
MANDATE_LANDLORDS = {"exemplum.immo@example.org"}
# Units without a package yet: the landlord still has to choose one.
NO_PACKAGE = {"Flat 3"}
PHOTOS: dict[str, list[tuple[str, tuple[int, int, int]]]] = {
    "Garden flat": [("Living room", (196, 164, 132)), ("Garden", (120, 170, 110))],
    "Flat 3": [("Kitchen", (220, 210, 180))],
    "A0.1": [("Bedroom", (170, 190, 215))],
}


def demo_photo(caption: str, colour: tuple[int, int, int]) -> bytes:
    """A plain room: wall, floor, a window and the caption; a JPEG like a phone would send."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    red, green, blue = (max(c - 60, 0) for c in colour)
    draw.rectangle((0, 560, 1200, 800), fill=(red, green, blue))  # the floor, darker
    draw.rectangle((780, 120, 1060, 420), fill=(225, 240, 250), outline=(90, 90, 90), width=8)
    draw.line((920, 120, 920, 420), fill=(90, 90, 90), width=6)
    draw.text((60, 60), f"{caption} (demo photo)", fill=(30, 30, 30), font_size=48)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def add_demo_listings(
    session: AsyncSession, agency: Agency, settings: Settings | None = None
) -> None:
    """Complete the demo units; photos only when ``settings`` says where files go."""
    packages = {
        p.kind: p
        for p in await session.scalars(
            select(GuaranteePackage)
            .where(GuaranteePackage.agency_id == agency.id, GuaranteePackage.active.is_(True))
            .order_by(GuaranteePackage.duration_years)
        )
    }
    units = list(
        await session.scalars(
            select(Unit)
            .join(Building, Building.id == Unit.building_id)
            .join(Landlord, Landlord.id == Building.landlord_id)
            .where(Landlord.agency_id == agency.id)
            .options(selectinload(Unit.building).selectinload(Building.landlord))
        )
    )
    store = FileStore.from_settings(settings) if settings is not None else None
    for unit in units:
        _describe(unit, packages)
        if store is not None:
            for caption, colour in PHOTOS.get(unit.label, []):
                await add_unit_photo(
                    session,
                    store,
                    unit,
                    data=demo_photo(caption, colour),
                    filename=f"{caption.lower().replace(' ', '-')}.jpg",
                    uploaded_by=unit.building.landlord.user_id,
                )
        await _tell(session, unit)
    await session.flush()


def _describe(unit: Unit, packages: dict[PackageKind, GuaranteePackage]) -> None:
    if unit.bedrooms == 0:
        unit.unit_type = UnitType.STUDIO
    elif unit.label in HOUSES:
        unit.unit_type = UnitType.HOUSE
    unit.furnished = unit.label in FURNISHED
    landlord = unit.building.landlord
    kind = PackageKind.MANDATE if landlord.email in MANDATE_LANDLORDS else PackageKind.HEAD_LEASE
    package = packages.get(kind) or packages.get(PackageKind.HEAD_LEASE)
    if unit.package_id is None and unit.label not in NO_PACKAGE and package is not None:
        unit.package_id = package.id


async def _tell(session: AsyncSession, unit: Unit) -> None:
    """The notice a landlord got when the unit reached its present intake status."""
    user_id = unit.building.landlord.user_id
    if user_id is None or unit.status not in (
        UnitStatus.SUBMITTED,
        UnitStatus.INSPECTION_SCHEDULED,
    ):
        return
    await notify(
        session,
        user_id=user_id,
        message=NOTICES[unit.status],
        params={"unit": f"{unit.building.street} {unit.label}, {unit.building.municipality}"},
        link=f"/landlord/units/{unit.id}",
        email=False,
    )
