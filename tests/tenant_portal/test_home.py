"""The household's home page shows its own record, in plain words, and no other household's."""

from __future__ import annotations

import msgspec
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
from tests.sra.register.records import add_user


async def test_each_household_sees_only_its_own_record(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)
    households = load_demo_data().households
    with_accounts = [h for h in households if h.email and h.password][:2]

    for household in with_accounts:
        user = await db.scalar(select(User).where(User.email == household.email))
        assert user is not None
        await sign_in_as(client, db, user)
        page = (await client.get("/tenant")).text

        assert str(escape(household.name)) in page
        assert household.reference in page
        for member in household.members:
            assert str(escape(member.first_name)) in page
        for other in households:
            if other is not household:
                assert str(escape(other.name)) not in page
                assert other.reference not in page


async def test_household_page_explains_the_status_and_summarises_the_profile(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)
    user = await db.scalar(select(User).where(User.email == "olena.pryklad@example.org"))
    assert user is not None
    await sign_in_as(client, db, user)

    page = (await client.get("/tenant")).text

    assert "Your application: Active" in page
    assert "you are on the waiting list" in page
    assert "1 adult, 2 children" in page
    assert "€1,850.00" in page  # income per month
    assert "Schaerbeek, Etterbeek" in page


async def test_household_account_without_an_application_is_told_so(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in_as(client, db, await add_user(db, Role.HOUSEHOLD))

    response = await client.get("/tenant")

    assert response.status_code == 200
    assert "not linked to an application" in response.text
