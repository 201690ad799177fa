"""The administrator's page /admin/households/renewal: reminder and grace days, checked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.identity.roles import Role
from sra.register.models import Agency
from tests.sessions import sign_in_as
from tests.sra.identity.flows import Client, post_form
from tests.sra.register.records import add_agency, add_user

PAGE = "/admin/households/renewal"


async def as_role(client: Client, db: AsyncSession, role: Role) -> Agency:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))
    return agency


async def stored_days(db: AsyncSession, agency: Agency) -> tuple[int, int]:
    await db.refresh(agency)
    return agency.renewal_reminder_days, agency.renewal_grace_days


def error_beside(html: str, name: str) -> str:
    assert re.search(rf'id="f-{name}"[^>]*aria-invalid="true"', html), f"{name} not marked"
    match = re.search(rf'<span class="field-error" id="f-{name}-error">([^<]*)</span>', html)
    assert match, f"no error beside {name}"
    return match[1]


async def test_administrator_changes_the_reminder_and_grace_days(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)

    form = (await client.get(PAGE)).text
    response = await post_form(
        client, PAGE, {"renewal_reminder_days": "45", "renewal_grace_days": "0"}
    )

    assert 'value="30"' in form  # the defaults
    assert response.status_code == 303
    assert await stored_days(db, agency) == (45, 0)
    assert "The renewal settings are saved." in (await client.get(f"{PAGE}?done=saved")).text
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "renewal_settings.saved"))
    assert entry is not None
    assert entry.after == {"renewal_reminder_days": 45, "renewal_grace_days": 0}


@pytest.mark.parametrize("field", ["renewal_reminder_days", "renewal_grace_days"])
@pytest.mark.parametrize("value", ["thirty", "-1", "366", "", "1.5", "١٢"])
async def test_bad_days_are_shown_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession, field: str, value: str
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    good = {"renewal_reminder_days": "20", "renewal_grace_days": "10"}

    response = await post_form(client, PAGE, {**good, field: value})

    assert response.status_code == 400
    assert "whole number of days from 0 to 365" in error_beside(response.text, field)
    assert "Nothing was saved" in response.text
    assert await stored_days(db, agency) == (30, 30)


@pytest.mark.parametrize("role", [Role.HOUSEHOLD, Role.LANDLORD, Role.ALLOCATION_OFFICER])
async def test_only_administrators_reach_the_renewal_settings(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await as_role(client, db, role)

    assert (await client.get(PAGE)).status_code == 403
    response = await post_form(
        client,
        PAGE,
        {"renewal_reminder_days": "1", "renewal_grace_days": "1"},
        page="/",
    )
    assert response.status_code == 403
    assert await stored_days(db, agency) == (30, 30)
