"""The landlord's home page shows their own flats and nobody else's."""

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


async def user_with_email(db: AsyncSession, email: str) -> User:
    user = await db.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


async def test_each_landlord_sees_only_their_own_buildings_and_units(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)
    landlords = load_demo_data().landlords
    streets = {x.email: {b.street for b in x.buildings} for x in landlords}

    for landlord in landlords[:2]:
        await sign_in_as(client, db, await user_with_email(db, landlord.email))
        page = (await client.get("/landlord")).text

        assert landlord.name in page
        for email, own in streets.items():
            for street in own:
                assert (str(escape(street)) in page) is (email == landlord.email), street
        for other in landlords:
            if other is not landlord:
                assert other.name not in page


async def test_landlord_page_shows_unit_status_in_words_and_rents_in_money(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)
    hugo = load_demo_data().landlords[0]
    await sign_in_as(client, db, await user_with_email(db, hugo.email))

    page = (await client.get("/landlord")).text

    assert "Garden flat" in page
    assert "€650.00" in page  # guaranteed rent, 65000 cents
    assert "€1,050.00" in page  # proposed rent of the submitted flat
    assert "An intake officer will contact you" in page  # what "submitted" means
    assert "set at approval" in page  # no guaranteed rent yet


async def test_landlord_account_without_a_landlord_record_is_told_so(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    user = await add_user(db, Role.LANDLORD)
    await sign_in_as(client, db, user)

    response = await client.get("/landlord")

    assert response.status_code == 200
    assert "not linked to a landlord record" in response.text


async def test_household_cannot_open_the_landlord_page(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in_as(client, db, await add_user(db, Role.HOUSEHOLD))

    assert (await client.get("/landlord")).status_code == 403
