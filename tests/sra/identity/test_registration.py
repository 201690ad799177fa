"""Landlords and households register themselves and confirm their e-mail address."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from sra.jobs import Job
from sra.register.models import Household, HouseholdStatus, Landlord, LandlordKind
from sra.settings import Settings
from tests.sra.identity.flows import (
    PASSWORD,
    Client,
    add_agency,
    add_user,
    body,
    deliver_mail,
    field_error,
    link_path,
    post_form,
    sign_in,
)


def registration(kind: str, email: str = "nadia@example.org") -> dict[str, str]:
    return {
        "as": kind,
        "display_name": "Nadia Haddad",
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }


async def count(db: AsyncSession, model: type[object]) -> int:
    return await db.scalar(select(func.count()).select_from(model)) or 0


async def test_household_registers_confirms_by_email_and_only_then_signs_in(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_agency(db)
    assert "find a home" in (await client.get("/register?as=household")).text

    response = await post_form(client, "/register", registration("household"))

    assert response.status_code == 303
    assert response.headers["location"] == "/register/sent"
    household = await db.scalar(select(Household))
    assert household is not None
    assert household.status is HouseholdStatus.DRAFT
    assert household.reference == f"H-{datetime.now(UTC).year}-000001"
    assert household.registered_on == datetime.now(UTC).date()
    user = await db.scalar(select(User))
    assert user is not None
    assert user.role is Role.HOUSEHOLD
    assert household.user_id == user.id
    assert (await sign_in(client, "nadia@example.org")).status_code == 400

    [mail] = await deliver_mail(engine, settings)
    assert mail["To"] == "nadia@example.org"
    assert mail["Subject"] == "Please confirm your e-mail address"
    confirm = link_path(mail, "/confirm/")

    response = await client.get(confirm, follow_redirects=False)
    assert response.headers["location"] == "/login?done=confirmed"
    assert "Your e-mail address is confirmed" in (await client.get("/login?done=confirmed")).text
    assert (await sign_in(client, "nadia@example.org")).status_code == 303
    assert (await client.get(confirm)).status_code == 400  # the link works once


async def test_landlord_registration_creates_a_private_landlord(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)

    await post_form(client, "/register", registration("landlord"), page="/register?as=landlord")

    landlord = await db.scalar(select(Landlord))
    assert landlord is not None
    assert landlord.kind is LandlordKind.PERSON
    assert landlord.name == "Nadia Haddad"
    assert landlord.email == "nadia@example.org"
    user = await db.get(User, landlord.user_id)
    assert user is not None
    assert user.role is Role.LANDLORD
    assert user.email_confirmed_at is None


async def test_household_references_count_up_within_the_year(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)
    await post_form(client, "/register", registration("household", "a@example.org"))
    await post_form(client, "/register", registration("household", "b@example.org"))

    references = sorted((await db.scalars(select(Household.reference))).all())

    year = datetime.now(UTC).year
    assert references == [f"H-{year}-000001", f"H-{year}-000002"]


async def test_bad_registration_shows_errors_beside_fields_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)
    data = {
        "as": "tenant",
        "display_name": "",
        "email": "not-an-address",
        "password": "short",
        "password_confirm": "other",
    }

    response = await post_form(client, "/register", data)

    assert response.status_code == 400
    assert len(field_error(response.text)) == 5
    assert 'value="not-an-address"' in response.text
    assert await count(db, User) == 0
    assert await count(db, Household) == 0
    assert await count(db, Job) == 0


async def test_registration_before_the_agency_exists_is_not_possible(
    client: Client, db: AsyncSession
) -> None:
    page = await client.get("/register?as=household")
    assert page.status_code == 503
    assert "The agency is not set up yet" in page.text

    response = await post_form(client, "/register", registration("household"), page="/login")

    assert response.status_code == 503
    assert await count(db, User) == 0


async def test_registering_a_known_address_looks_the_same_but_mails_the_owner(
    client: Client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await add_agency(db)
    await add_user(db, Role.LANDLORD, email="nadia@example.org")

    response = await post_form(client, "/register", registration("household"))

    assert response.headers["location"] == "/register/sent"
    assert await count(db, User) == 1
    [mail] = await deliver_mail(engine, settings)
    assert mail["Subject"] == "You already have an account"
    assert "/password/forgot" in body(mail)
