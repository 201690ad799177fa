"""Landlord and staff accounts for the profile, bank account and package tests."""

from __future__ import annotations

import re
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.identity.models import User
from sra.identity.roles import Role
from sra.identity.service import create_user
from sra.register.models import Agency, Landlord, LandlordKind
from tests.sessions import sign_in_as
from tests.sra.identity.flows import PASSWORD

Client = AsyncTestClient[Litestar]
# Fictional accounts: Belgian bank codes whose BIC schwifty knows, checksums computed.
IBAN_KBC_LIKE = "BE71 0961 2345 6769"  # bank code 096 -> GKCCBEBB
IBAN_OTHER = "BE48 0011 2345 6727"  # bank code 001 -> GEBABEBB
IBAN_UNKNOWN_BANK = "BE05 9990 0000 0575"  # bank code 999: no BIC can be derived

GOOD_PROFILE = {
    "kind": "person",
    "name": "Ada Owner",
    "company_number": "",
    "email": "ada.contact@example.org",
    "phone": "+32 470 12 34 56",
    "street": "Testlaan 1",
    "postcode": "1000",
    "municipality": "Brussel",
    "country": "BE",
    "locale": "nl",
    "iban": IBAN_KBC_LIKE,
    "bic": "",
    "consent": "yes",
}


async def add_agency(db: AsyncSession, name: str = "Test agency") -> Agency:
    agency = Agency(name=name, country="BE", currency="EUR", default_locale="en")
    db.add(agency)
    await db.commit()
    return agency


async def add_landlord_account(
    db: AsyncSession, agency: Agency, email: str, *, iban: str | None = None
) -> tuple[User, Landlord]:
    """A landlord who registered (password PASSWORD) and has not completed the profile."""
    user = await create_user(
        db,
        email=email,
        display_name=f"Owner {email.split('@')[0]}",
        role=Role.LANDLORD,
        password=PASSWORD,
        agency_id=agency.id,
        email_confirmed=True,
    )
    landlord = Landlord(
        agency_id=agency.id,
        user_id=user.id,
        kind=LandlordKind.PERSON,
        name=user.display_name,
        email=email,
        locale="en",
        iban=iban,
    )
    db.add(landlord)
    await db.commit()
    return user, landlord


async def add_staff(db: AsyncSession, agency: Agency, role: Role, email: str) -> User:
    user = await create_user(
        db,
        email=email,
        display_name=f"Staff {role.value}",
        role=role,
        password=PASSWORD,
        agency_id=agency.id,
        email_confirmed=True,
    )
    await db.commit()
    return user


async def as_user(client: Client, db: AsyncSession, user: User) -> None:
    await sign_in_as(client, db, user)


async def csrf(client: Client, page: str = "/") -> str:
    await client.get(page)
    token = client.cookies.get("sra_csrf")
    assert token, "no CSRF cookie"
    return token


async def post(client: Client, path: str, data: dict[str, str]) -> httpx.Response:
    token = await csrf(client)
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


def error_beside(html: str, field: str) -> str:
    """The error text shown beside ``field`` (the input is marked invalid too)."""
    found = re.search(
        rf'<span class="field-error" id="f-{re.escape(field)}-error">([^<]*)</span>', html
    )
    assert found, f"no error beside {field}"
    assert f'aria-describedby="f-{field}-error"' in html
    return found.group(1)


async def count(db: AsyncSession, model: type[Any], *where: Any) -> int:
    return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def audit_actions(db: AsyncSession) -> list[str]:
    return list(await db.scalars(select(AuditEntry.action).order_by(AuditEntry.created_at)))
