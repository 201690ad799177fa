"""An agency, an intake officer and a landlord with one unit: where intake tests happen."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import CurrentUser, acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Landlord, Unit, UnitStatus
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_landlord, add_unit, add_user

Client = AsyncTestClient[Litestar]


@dataclass
class World:
    agency: Agency
    officer: User
    landlord_user: User
    landlord: Landlord
    unit: Unit


async def make_world(
    db: AsyncSession, status: UnitStatus = UnitStatus.SUBMITTED, *, name: str = "Agency"
) -> World:
    agency = await add_agency(db, name)
    officer = await add_user(db, Role.INTAKE_OFFICER, agency.id)
    landlord_user = await add_user(db, Role.LANDLORD, agency.id)
    landlord = await add_landlord(db, agency, f"Owner of {name}", landlord_user)
    unit = await add_unit(db, landlord, "Flat 1", status=status, guaranteed_rent_cents=None)
    await db.commit()
    return World(agency, officer, landlord_user, landlord, unit)


def acting(user: User) -> CurrentUser:
    return acting_as(user)


async def signed_in(client: Client, db: AsyncSession, user: User) -> None:
    await sign_in_as(client, db, user)


async def post(
    client: Client, path: str, data: dict[str, str], files: dict[str, object] | None = None
) -> httpx.Response:
    """A form post with the CSRF token taken from a page the user can see."""
    await client.get("/")
    token = client.cookies.get("sra_csrf")
    assert token, "no CSRF cookie"
    return await client.post(
        path,
        data={**data, "_csrf_token": token},
        files=files,  # type: ignore[arg-type]
        follow_redirects=False,
    )


def error_beside(html: str, field: str) -> str:
    found = re.search(
        rf'<span class="field-error" id="f-{re.escape(field)}-error">([^<]*)</span>', html
    )
    assert found, f"no error beside {field}"
    assert f'aria-describedby="f-{field}-error"' in html
    return found.group(1)
