"""Steps the listing tests share: a signed-in landlord with a package, forms, photos, counts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.packages import GuaranteePackage, PackageKind
from sra.files import StoredFile
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Building, Landlord, Unit
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_landlord, add_user

Client = AsyncTestClient[Litestar]


@dataclass
class Owner:
    """The records and their ids (the ids stay readable after the test session expires rows)."""

    agency: Agency
    user: User
    landlord: Landlord
    package: GuaranteePackage

    def __post_init__(self) -> None:
        self.agency_id = self.agency.id
        self.user_id = self.user.id
        self.landlord_id = self.landlord.id
        self.package_id = self.package.id


async def add_package(
    db: AsyncSession, agency: Agency, name: str = "Head lease 9 years"
) -> GuaranteePackage:
    package = GuaranteePackage(
        agency_id=agency.id,
        name=name,
        kind=PackageKind.HEAD_LEASE,
        duration_years=9,
        damage_cover_months=2,
        management_fee_basis_points=0,
    )
    db.add(package)
    await db.flush()
    return package


async def add_owner(
    db: AsyncSession, agency: Agency | None = None, name: str = "Ada Owner"
) -> Owner:
    agency = agency or await add_agency(db)
    user = await add_user(db, Role.LANDLORD, agency.id)
    landlord = await add_landlord(db, agency, name, user)
    package = await add_package(db, agency)
    await db.commit()
    return Owner(agency, user, landlord, package)


async def signed_in_owner(client: Client, db: AsyncSession, agency: Agency | None = None) -> Owner:
    owner = await add_owner(db, agency)
    await sign_in_as(client, db, owner.user)
    return owner


def unit_form(owner: Owner, **changes: str) -> dict[str, str]:
    """A complete, valid "offer a flat" form for a new building in Brussels."""
    fields = {
        "building_id": "",
        "street": "Rue Haute 12",
        "postcode": "1000",
        "municipality": "Bruxelles",
        "country": "BE",
        "floors": "4",
        "has_lift": "on",
        "label": "2nd floor left",
        "unit_type": "apartment",
        "floor": "2",
        "bedrooms": "2",
        "surface_m2": "68",
        "min_occupants": "2",
        "max_occupants": "4",
        "step_free": "on",
        "energy_label": "C",
        "proposed_rent": "750,50",
        "charges": "60",
        "available_from": "2026-09-01",
        "description": "Bright flat near the metro.",
        "package_id": str(owner.package_id),
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


async def csrf(client: Client, page: str = "/landlord") -> str:
    if client.cookies.get("sra_csrf") is None:
        await client.get(page)
    token = client.cookies.get("sra_csrf")
    assert token, "no CSRF cookie"
    return token


async def post_form(client: Client, path: str, data: dict[str, str]) -> httpx.Response:
    token = await csrf(client)
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


async def upload(
    client: Client,
    unit_id: Any,
    content: bytes,
    filename: str = "photo.jpg",
    mime: str = "image/jpeg",
) -> httpx.Response:
    token = await csrf(client)
    return await client.post(
        f"/landlord/units/{unit_id}/photos",
        data={"_csrf_token": token},
        files={"photo": (filename, content, mime)},
        follow_redirects=False,
    )


async def create_unit(client: Client, owner: Owner, **changes: str) -> str:
    """Offer a flat through the form; returns the new unit's id."""
    response = await post_form(client, "/landlord/units/new", unit_form(owner, **changes))
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0112] = 6  # Orientation: rotated 90° (the stored photo must be upright)
        image.save(out, fmt, exif=data.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


async def count(db: AsyncSession, model: type[Any]) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def listing_counts(db: AsyncSession) -> tuple[int, int, int]:
    db.expire_all()
    return (await count(db, Building), await count(db, Unit), await count(db, StoredFile))
