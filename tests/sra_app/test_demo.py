"""`sra seed-demo` and `sra demo-codes`: fictional data, on request, into an empty database only."""

from __future__ import annotations

import msgspec
import pyotp
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.identity.models import User
from sra.identity.roles import STAFF_ROLES, Role
from sra.register.models import (
    Agency,
    Building,
    Household,
    HouseholdStatus,
    Landlord,
    LandlordKind,
    Unit,
    UnitStatus,
)
from sra.settings import Settings
from sra_app.cli import main
from sra_app.demo_cli import ALREADY_LOADED, DemoRefused, load_demo_data, seed, staff_codes
from sra_app.models import load_all_models


def with_demo(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, demo=True)


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows in every table of the schema."""
    async with engine.connect() as conn:
        return {
            table.name: int(await conn.scalar(select(func.count()).select_from(table)) or 0)
            for table in load_all_models().sorted_tables
        }


async def test_seed_refuses_without_demo_setting_and_changes_nothing(
    settings: Settings, engine: AsyncEngine
) -> None:
    before = await row_counts(engine)
    for if_empty in (False, True):
        with pytest.raises(DemoRefused, match="SRA_DEMO=1"):
            await seed(settings, if_empty=if_empty)
    assert await row_counts(engine) == before
    assert sum(before.values()) == 0


async def test_seed_refuses_a_database_that_holds_an_agency_and_changes_nothing(
    settings: Settings, engine: AsyncEngine, db: AsyncSession
) -> None:
    db.add(Agency(name="Existing agency", country="BE", currency="EUR"))
    await db.commit()
    before = await row_counts(engine)

    with pytest.raises(DemoRefused, match="already holds data"):
        await seed(with_demo(settings), if_empty=False)

    assert await row_counts(engine) == before


async def test_seed_if_empty_on_a_database_with_a_user_says_so_and_changes_nothing(
    settings: Settings, engine: AsyncEngine, db: AsyncSession
) -> None:
    db.add(User(email="admin@agency.example.org", display_name="Admin", role=Role.ADMINISTRATOR))
    await db.commit()
    before = await row_counts(engine)

    assert await seed(with_demo(settings), if_empty=True) == ALREADY_LOADED

    assert await row_counts(engine) == before


async def test_seed_loads_the_demo_register_and_a_second_seed_changes_nothing(
    settings: Settings, engine: AsyncEngine, db: AsyncSession
) -> None:
    message = await seed(with_demo(settings), if_empty=False)

    async def count(model: type, *where: object) -> int:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    assert await count(Agency) == 1
    assert await count(Landlord) == 3
    kinds = set(await db.scalars(select(Landlord.kind)))
    assert kinds == {LandlordKind.PERSON, LandlordKind.COMPANY, LandlordKind.PUBLIC_BODY}
    assert await count(Unit) == 12
    assert await count(Unit, Unit.wheelchair_accessible.is_(True)) == 2
    # Available once their lease was signed; the demo round then offers and lets a few.
    in_allocation = (UnitStatus.AVAILABLE, UnitStatus.OFFERED, UnitStatus.LET)
    assert await count(Unit, Unit.status.in_(in_allocation)) > 6
    assert await count(Household) == 20
    assert await count(Household, Household.status == HouseholdStatus.ACTIVE) > 10
    assert await count(Landlord, Landlord.user_id.is_not(None)) == 3
    assert await count(Household, Household.user_id.is_not(None)) >= 3
    staff = list(await db.scalars(select(User).where(User.role.in_(STAFF_ROLES))))
    assert sorted(u.role for u in staff) == sorted(STAFF_ROLES)
    assert all(u.totp_secret and u.totp_confirmed_at and u.agency_id for u in staff)
    # Every sign-in is listed with its password; staff with their TOTP secret.
    for user in await db.scalars(select(User)):
        assert user.email is not None
        assert user.email in message
    for member in load_demo_data().staff:
        assert member.totp_secret in message
    assert "sra demo-codes" in message

    before = await row_counts(engine)
    assert await seed(with_demo(settings), if_empty=True) == ALREADY_LOADED
    assert await row_counts(engine) == before


async def test_demo_buildings_are_in_brussels_with_their_units(
    settings: Settings, db: AsyncSession
) -> None:
    await seed(with_demo(settings), if_empty=False)

    for building in await db.scalars(select(Building)):
        assert building.country == "BE"
        assert building.postcode.startswith("1")
        assert building.lat is not None
        assert 50.76 < building.lat < 50.92
        assert building.lon is not None
        assert 4.24 < building.lon < 4.48


def test_demo_data_is_plainly_fictional() -> None:
    data = load_demo_data()
    emails = [x.email for x in [*data.landlords, *data.households, *data.staff] if x.email]
    assert emails
    assert all(e.endswith("@example.org") for e in emails)
    ibans = [data.agency.iban, *(x.iban for x in data.landlords)]
    # Belgian bank code 999 belongs to no bank.
    assert all(iban and iban.startswith("BE") and iban[4:7] == "999" for iban in ibans)
    sizes = {len(h.members) for h in data.households}
    assert sizes == {1, 2, 3, 4, 5, 6}


def test_demo_codes_are_the_current_totp_codes_of_the_staff(settings: Settings) -> None:
    now = 1_750_000_000.0
    text = staff_codes(with_demo(settings), now=now)

    for member in load_demo_data().staff:
        assert f"{member.email}" in text
        assert pyotp.TOTP(member.totp_secret).at(int(now)) in text


def test_demo_codes_command_refuses_without_demo_setting() -> None:
    result = CliRunner().invoke(main, ["demo-codes"], env={"SRA_DEMO": "0"})

    assert result.exit_code == 2
    assert "SRA_DEMO=1" in result.output
    assert "Traceback" not in result.output
