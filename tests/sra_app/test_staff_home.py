"""The staff dashboard: per role what the role does and the figures it needs; names only where
the work is those records, and never for the manager."""

from __future__ import annotations

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from sra.settings import Settings
from sra_app.demo_cli import load_demo_data, seed
from tests.sessions import sign_in_as

# What each role's dashboard shows that the others need not (from the demo data).
EXPECTED: dict[Role, list[str]] = {
    Role.INTAKE_OFFICER: ["Flats waiting for intake", "Avenue du Modèle 145", "Exemplum Immo SRL"],
    Role.ALLOCATION_OFFICER: ["Applications to verify", "Sam Sample", "Access needs"],
    Role.FINANCE_OFFICER: ["€5,520.00", "€4,360.00", "€1,160.00"],
    Role.CASEWORKER: ["need intensive support", "Marc Exemple", "Sofia Paradeigma"],
    Role.MANAGER: ["Waiting households by size", "Waiting time", "€1,160.00"],
    Role.ADMINISTRATOR: ["Active accounts by role"],
}


async def staff_page(client: AsyncTestClient[Litestar], db: AsyncSession, role: Role) -> str:
    user = await db.scalar(select(User).where(User.role == role))
    assert user is not None
    await sign_in_as(client, db, user)
    response = await client.get("/staff")
    assert response.status_code == 200
    return response.text


async def test_every_staff_role_sees_its_duties_and_its_figures(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)

    for role, expected in EXPECTED.items():
        page = await staff_page(client, db, role)
        assert "What you do here" in page
        assert "Flats by status" in page
        assert "Applications by status" in page
        for text in expected:
            assert str(escape(text)) in page, (role, text)
        assert "arrives with" not in page  # no placeholders for work not built yet


async def test_manager_sees_aggregates_without_any_name(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)
    data = load_demo_data()

    page = await staff_page(client, db, Role.MANAGER)

    names = [x.name for x in [*data.landlords, *data.households]]
    names += [m.first_name for h in data.households for m in h.members]
    for name in names:
        assert str(escape(name)) not in page, name


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.HOUSEHOLD])
async def test_landlords_and_households_cannot_open_the_staff_dashboard(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings, role: Role
) -> None:
    user = User(email=f"{role.value}@example.org", display_name="Someone", role=role)
    db.add(user)
    await db.flush()
    await sign_in_as(client, db, user)

    assert (await client.get("/staff")).status_code == 403


async def test_staff_without_second_factor_are_sent_to_give_it(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    user = User(email="new.staff@example.org", display_name="New", role=Role.MANAGER)
    db.add(user)
    await db.flush()
    await sign_in_as(client, db, user, second_factor_done=False)

    response = await client.get("/staff", follow_redirects=False)

    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login/second-factor")
