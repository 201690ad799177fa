"""The finance officer's page /staff/health-index: enter, correct, import; others are refused."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import HealthIndex, index_for, set_index
from sra.identity.roles import Role
from tests.sessions import sign_in_as
from tests.sra.identity.flows import post_form
from tests.sra.register.records import add_agency, add_user

Client = AsyncTestClient[Litestar]
PAGE = "/staff/health-index"


async def as_role(client: Client, db: AsyncSession, role: Role) -> None:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))


async def upload(client: Client, text: str) -> httpx.Response:
    await client.get(PAGE)
    token = client.cookies.get("sra_csrf")
    assert token
    return await client.post(
        f"{PAGE}/import",
        files={"file": ("index.csv", text.encode(), "text/csv")},
        headers={"x-csrftoken": token},
        follow_redirects=False,
    )


def error_beside(html: str, name: str) -> str:
    assert re.search(rf'id="f-{name}"[^>]*aria-invalid="true"', html), f"{name} not marked"
    match = re.search(rf'<span class="field-error" id="f-{name}-error">([^<]*)</span>', html)
    assert match, f"no error beside {name}"
    return match[1]


async def count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(HealthIndex)) or 0


async def test_finance_officer_enters_a_month_and_sees_it(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)

    response = await post_form(client, PAGE, {"month": "2025-01", "value": "128,45"})

    assert response.status_code == 303
    assert await index_for(db, date(2025, 1, 1)) == Decimal("128.45")
    listing = (await client.get(f"{PAGE}?done=saved")).text
    assert "The index is saved." in listing
    assert "January 2025" in listing
    assert "128.45" in listing


async def test_correcting_a_month_prefills_and_replaces_it(
    client: Client, db: AsyncSession
) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)
    await set_index(db, date(2025, 1, 1), Decimal("128.45"))
    await db.commit()

    form = (await client.get(f"{PAGE}?month=2025-01")).text
    await post_form(client, PAGE, {"month": "2025-01", "value": "128.50"})

    assert 'value="128.45"' in form
    await db.commit()  # end the test session's snapshot to see the app's change
    assert await index_for(db, date(2025, 1, 1)) == Decimal("128.50")
    assert await count(db) == 1


@pytest.mark.parametrize(
    ("month", "value", "field", "message"),
    [
        ("2025-13", "128.45", "month", "year-month"),
        ("", "128.45", "month", "enter the month"),
        ("2025-01", "abc", "value", "positive number"),
        ("2025-01", "-3", "value", "positive number"),
        ("2025-01", "", "value", "enter the index value"),
    ],
)
async def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession, month: str, value: str, field: str, message: str
) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)

    response = await post_form(client, PAGE, {"month": month, "value": value})

    assert response.status_code == 400
    assert message in error_beside(response.text, field)
    assert f'value="{month}"' in response.text
    assert await count(db) == 0


async def test_csv_import_stores_all_months(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)

    response = await upload(client, "month,value\n2024-12,131.20\n2025-01,131.50\n")

    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?done=imported"
    assert await index_for(db, date(2024, 12, 1)) == Decimal("131.20")
    assert await count(db) == 2


async def test_csv_with_a_bad_line_lists_it_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)

    response = await upload(client, "month,value\n2024-12,131.20\n2025-01,lots\n")

    assert response.status_code == 400
    assert "Nothing was imported" in error_beside(response.text, "file")
    assert "Line 3:" in response.text
    assert await count(db) == 0


async def test_a_file_that_is_not_text_is_refused(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)
    await client.get(PAGE)

    response = await client.post(
        f"{PAGE}/import",
        files={"file": ("index.csv", b"\xff\xfe\x00binary", "text/csv")},
        headers={"x-csrftoken": client.cookies.get("sra_csrf") or ""},
    )

    assert response.status_code == 400
    assert "UTF-8" in error_beside(response.text, "file")


async def test_finance_officer_has_the_nav_entry(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)

    assert f'href="{PAGE}"' in (await client.get("/staff")).text


@pytest.mark.parametrize(
    "role", [Role.LANDLORD, Role.HOUSEHOLD, Role.ADMINISTRATOR, Role.INTAKE_OFFICER]
)
async def test_other_roles_are_refused(client: Client, db: AsyncSession, role: Role) -> None:
    await as_role(client, db, role)

    assert (await client.get(PAGE)).status_code == 403
    token = client.cookies.get("sra_csrf") or ""
    response = await client.post(
        PAGE, data={"month": "2025-01", "value": "1", "_csrf_token": token}
    )
    assert response.status_code == 403
    assert await count(db) == 0


async def test_posting_without_the_csrf_token_is_refused(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.FINANCE_OFFICER)
    await client.get(PAGE)

    response = await client.post(PAGE, data={"month": "2025-01", "value": "128.45"})

    assert response.status_code == 403
    assert await count(db) == 0
