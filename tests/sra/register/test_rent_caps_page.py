"""The administrator's page /admin/rent-caps: add, change, remove; others are refused."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import set_index
from sra.identity.roles import Role
from sra.register.models import Agency
from sra.register.rent_caps import RentCap, UnitType, set_cap
from tests.sessions import sign_in_as
from tests.sra.identity.flows import post_form
from tests.sra.register.records import add_agency, add_user

Client = AsyncTestClient[Litestar]
PAGE = "/admin/rent-caps"
GOOD = {"unit_type": "apartment", "bedrooms": "2", "cap": "920.00", "base_month": "2024-12"}


async def as_role(client: Client, db: AsyncSession, role: Role) -> Agency:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))
    return agency


def error_beside(html: str, name: str) -> str:
    assert re.search(rf'id="f-{name}"[^>]*aria-invalid="true"', html), f"{name} not marked"
    match = re.search(rf'<span class="field-error" id="f-{name}-error">([^<]*)</span>', html)
    assert match, f"no error beside {name}"
    return match[1]


async def caps(db: AsyncSession) -> list[RentCap]:
    db.expire_all()
    return list(await db.scalars(select(RentCap)))


async def test_administrator_adds_a_cap_and_sees_it_indexed(
    client: Client, db: AsyncSession
) -> None:
    agency_id = (await as_role(client, db, Role.ADMINISTRATOR)).id
    await set_index(db, date(2024, 12, 1), Decimal("100.00"))
    await set_index(db, date(date.today().year - 1, 12, 1), Decimal("110.00"))
    await db.commit()

    response = await post_form(client, PAGE, GOOD)

    assert response.status_code == 303
    [cap] = await caps(db)
    assert (cap.agency_id, cap.unit_type, cap.bedrooms) == (agency_id, UnitType.APARTMENT, 2)
    assert (cap.cap_cents, cap.base_month) == (92000, date(2024, 12, 1))
    listing = (await client.get(f"{PAGE}?done=saved")).text
    assert "The rent cap is saved." in listing
    assert "€920.00" in listing
    if date.today().year > 2025:
        assert "€1,012.00" in listing  # 920 x 110 / 100


async def test_saving_the_same_type_and_bedrooms_changes_the_cap(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    cap = await set_cap(db, agency.id, UnitType.APARTMENT, 2, 90000, date(2024, 12, 1))
    await db.commit()

    form = (await client.get(f"{PAGE}?edit={cap.id}")).text
    await post_form(client, PAGE, {**GOOD, "cap": "950,50"})

    assert 'value="900.00"' in form
    [changed] = await caps(db)
    assert changed.cap_cents == 95050


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_type", "castle", "type of dwelling"),
        ("bedrooms", "-1", "whole number"),
        ("bedrooms", "two", "whole number"),
        ("bedrooms", "21", "whole number"),
        ("cap", "lots", "above zero"),
        ("cap", "0", "above zero"),
        ("base_month", "12/2024", "year-month"),
    ],
)
async def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession, field: str, value: str, message: str
) -> None:
    await as_role(client, db, Role.ADMINISTRATOR)

    response = await post_form(client, PAGE, {**GOOD, field: value})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    assert await caps(db) == []


async def test_administrator_removes_a_cap(client: Client, db: AsyncSession) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    cap = await set_cap(db, agency.id, UnitType.STUDIO, 0, 60000, date(2024, 12, 1))
    await db.commit()

    response = await post_form(client, f"{PAGE}/{cap.id}/delete", {}, page=PAGE)

    assert response.status_code == 303
    assert await caps(db) == []


async def test_another_agencys_cap_is_not_found(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.ADMINISTRATOR)
    other = await add_agency(db, "Other agency")
    cap = await set_cap(db, other.id, UnitType.STUDIO, 0, 60000, date(2024, 12, 1))
    await db.commit()

    assert (await client.get(f"{PAGE}?edit={cap.id}")).status_code == 404
    response = await post_form(client, f"{PAGE}/{cap.id}/delete", {}, page=PAGE)
    assert response.status_code == 404
    assert len(await caps(db)) == 1


async def test_administrator_has_the_nav_entry(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.ADMINISTRATOR)

    assert f'href="{PAGE}"' in (await client.get("/admin/users")).text


@pytest.mark.parametrize(
    "role", [Role.LANDLORD, Role.HOUSEHOLD, Role.FINANCE_OFFICER, Role.INTAKE_OFFICER]
)
async def test_other_roles_are_refused(client: Client, db: AsyncSession, role: Role) -> None:
    await as_role(client, db, role)

    assert (await client.get(PAGE)).status_code == 403
    token = client.cookies.get("sra_csrf") or ""
    response = await client.post(PAGE, data={**GOOD, "_csrf_token": token})
    assert response.status_code == 403
    assert await caps(db) == []
