"""Fictional demo data for ``make run``: ``sra seed-demo`` and ``sra demo-codes``.

The data is ``platform/demo/demo.json``. It loads only when ``SRA_DEMO=1`` and only into an empty
database (no agency, no user), all in one transaction, so a production database never gets the
demo sign-ins.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import msgspec
from sqlalchemy import exists, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from sra.db import make_engine, make_sessionmaker
from sra.identity.models import User
from sra.identity.passwords import hash_password_async
from sra.identity.roles import Role
from sra.identity.service import create_user
from sra.register.models import (
    Agency,
    Building,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    IncomeSource,
    Landlord,
    LandlordKind,
    MemberRelation,
    PreferredArea,
    SupportNeed,
    Unit,
    UnitStatus,
)
from sra.settings import Settings
from sra_app.demo_geo import add_demo_indices_and_caps
from sra_app.demo_households import add_demo_household_journeys
from sra_app.demo_landlords import add_demo_packages_and_accounts
from sra_app.demo_leases import add_demo_intake_and_leases
from sra_app.demo_listings import add_demo_listings
from sra_app.demo_rounds import add_demo_round

DEMO_FILE = Path(__file__).resolve().parents[1] / "demo" / "demo.json"
ALREADY_LOADED = "demo data already loaded"


class DemoRefused(Exception):
    """Why the demo data was not loaded, in one line."""


class _Record(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class DemoUnit(_Record, kw_only=True):
    label: str
    floor: int
    bedrooms: int
    surface_m2: int | None = None
    min_occupants: int
    max_occupants: int
    step_free: bool = False
    wheelchair_accessible: bool = False
    energy_label: str | None = None
    market_rent_cents: int | None = None
    proposed_rent_cents: int | None = None
    guaranteed_rent_cents: int | None = None
    tenant_rent_cents: int | None = None
    charges_cents: int = 0
    status: UnitStatus
    available_in_days: int | None = None
    description: str = ""


class DemoBuilding(_Record, kw_only=True):
    street: str
    postcode: str
    municipality: str
    floors: int
    has_lift: bool
    lat: float
    lon: float
    units: list[DemoUnit]


class DemoLandlord(_Record, kw_only=True):
    kind: LandlordKind
    name: str
    email: str
    phone: str | None = None
    locale: str
    iban: str | None = None
    password: str | None = None
    buildings: list[DemoBuilding]


class DemoMember(_Record, kw_only=True):
    first_name: str
    relation: MemberRelation
    birth_year: int


class DemoArea(_Record, kw_only=True):
    name: str
    lat: float
    lon: float


class DemoIncome(_Record, kw_only=True):
    source: IncomeSource
    amount_cents: int


class DemoHousehold(_Record, kw_only=True):
    reference: str
    name: str
    email: str | None = None
    locale: str
    # Where the demo leaves the application; sra_app.demo_households walks it there through
    # the real services (submission, verification, points), so the history is real too.
    status: HouseholdStatus
    incomes: list[DemoIncome]
    max_rent_cents: int | None = None
    wheelchair: bool = False
    step_free: bool = False
    ground_floor: bool = False
    max_distance_km: float | None = None
    ethos_category: int | None = None
    displaced: bool = False
    eviction_threat: bool = False
    disability: bool = False
    current_rent_cents: int | None = None
    eviction_in_days: int | None = None
    local_tie: bool = False
    other_needs: str | None = None
    support_need: SupportNeed
    registered_days_ago: int
    consent_given: bool
    password: str | None = None
    members: list[DemoMember]
    preferred_areas: list[DemoArea]


class DemoStaff(_Record, kw_only=True):
    role: Role
    display_name: str
    email: str
    password: str
    totp_secret: str


class DemoAgency(_Record, kw_only=True):
    name: str
    country: str
    currency: str
    default_locale: str
    iban: str | None = None


class DemoData(_Record, kw_only=True):
    about: str
    agency: DemoAgency
    landlords: list[DemoLandlord]
    households: list[DemoHousehold]
    staff: list[DemoStaff]


def load_demo_data(path: Path = DEMO_FILE) -> DemoData:
    return msgspec.json.decode(path.read_bytes(), type=DemoData)


def _require_demo(settings: Settings, what: str = "demo data loads") -> None:
    if not settings.demo:
        raise DemoRefused(
            f"{what} only when SRA_DEMO=1 (the demo passwords are public); "
            "set it for a throw-away database only"
        )


async def seed(settings: Settings, *, if_empty: bool) -> str:
    """Load the demo data into an empty database; returns the demo sign-ins as text."""
    _require_demo(settings)
    data = load_demo_data()
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if await _holds_data(session):
                if if_empty:
                    return ALREADY_LOADED
                raise DemoRefused(
                    "the database already holds data (an agency or a user); "
                    "demo data loads only into an empty database"
                )
            await _load(session, data, date.today(), settings)
        await add_demo_round(make_sessionmaker(engine), settings)
    finally:
        await engine.dispose()
    return sign_ins_message(data)


async def _holds_data(session: AsyncSession) -> bool:
    try:
        return bool(await session.scalar(select(exists().select_from(Agency)))) or bool(
            await session.scalar(select(exists().select_from(User)))
        )
    except DBAPIError as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            raise DemoRefused("the database has no tables yet: run `sra migrate` first") from None
        raise


class _DemoUsers:
    """Creates the demo sign-ins. The demo shares a few public passwords: each is hashed once
    (argon2id is slow on purpose) and the hash is reused for every account that has it."""

    def __init__(self, session: AsyncSession, agency_id: UUID) -> None:
        self.session = session
        self.agency_id = agency_id
        self.hashes: dict[str, str] = {}

    async def add(
        self,
        *,
        email: str,
        name: str,
        role: Role,
        password: str,
        locale: str | None = None,
        totp_secret: str | None = None,
    ) -> UUID:
        user = await create_user(
            self.session,
            email=email,
            display_name=name,
            role=role,
            password=None,
            totp_secret=totp_secret,
            agency_id=self.agency_id,
            locale=locale,
            actor_label="demo data",
        )
        if password not in self.hashes:
            self.hashes[password] = await hash_password_async(password)
        user.password_hash = self.hashes[password]
        return user.id


async def _load(
    session: AsyncSession, data: DemoData, today: date, settings: Settings | None = None
) -> None:
    agency = Agency(**msgspec.structs.asdict(data.agency))
    session.add(agency)
    await session.flush()
    await add_demo_indices_and_caps(session, agency)
    users = _DemoUsers(session, agency.id)
    for landlord in data.landlords:
        await _add_landlord(session, users, landlord, agency, today)
    for household in data.households:
        await _add_household(session, users, household, agency.id, today)
    for staff in data.staff:
        await users.add(
            email=staff.email,
            name=staff.display_name,
            role=staff.role,
            password=staff.password,
            totp_secret=staff.totp_secret,
        )
    await add_demo_packages_and_accounts(session, agency)
    await add_demo_listings(session, agency, settings)
    await add_demo_intake_and_leases(session, agency)
    await add_demo_household_journeys(session, agency, data.households, settings)
    await session.flush()


async def _add_landlord(
    session: AsyncSession, users: _DemoUsers, data: DemoLandlord, agency: Agency, today: date
) -> None:
    user_id = None
    if data.password is not None:
        user_id = await users.add(
            email=data.email,
            name=data.name,
            role=Role.LANDLORD,
            password=data.password,
            locale=data.locale,
        )
    landlord = Landlord(
        agency_id=agency.id,
        user_id=user_id,
        kind=data.kind,
        name=data.name,
        email=data.email,
        phone=data.phone,
        locale=data.locale,
        iban=data.iban,
        consent_given=True,
    )
    session.add(landlord)
    await session.flush()
    for building_data in data.buildings:
        fields = msgspec.structs.asdict(building_data)
        units = fields.pop("units")
        building = Building(landlord_id=landlord.id, country=agency.country, **fields)
        session.add(building)
        await session.flush()
        session.add_all(_unit(building.id, unit, today) for unit in units)


def _unit(building_id: UUID, data: DemoUnit, today: date) -> Unit:
    fields = msgspec.structs.asdict(data)
    in_days = fields.pop("available_in_days")
    available_from = today + timedelta(days=in_days) if in_days is not None else None
    return Unit(building_id=building_id, available_from=available_from, **fields)


async def _add_household(
    session: AsyncSession, users: _DemoUsers, data: DemoHousehold, agency_id: UUID, today: date
) -> None:
    fields = msgspec.structs.asdict(data)
    password = fields.pop("password")
    members = fields.pop("members")
    areas = fields.pop("preferred_areas")
    days_ago = fields.pop("registered_days_ago")
    incomes = fields.pop("incomes")
    eviction_in_days = fields.pop("eviction_in_days")
    # Every application starts as the household left it; the journeys move it on.
    fields["status"] = HouseholdStatus.DRAFT
    user_id = None
    if data.email is not None and password is not None:
        user_id = await users.add(
            email=data.email,
            name=data.name,
            role=Role.HOUSEHOLD,
            password=password,
            locale=data.locale,
        )
    session.add(
        Household(
            agency_id=agency_id,
            user_id=user_id,
            registered_on=today - timedelta(days=days_ago),
            members=[HouseholdMember(**msgspec.structs.asdict(m)) for m in members],
            preferred_areas=[PreferredArea(**msgspec.structs.asdict(a)) for a in areas],
            incomes=[HouseholdIncome(**msgspec.structs.asdict(i)) for i in incomes],
            monthly_income_cents=sum(i.amount_cents for i in incomes),
            eviction_date=today + timedelta(days=eviction_in_days) if eviction_in_days else None,
            consent_given_at=datetime.now(UTC) if data.consent_given else None,
            **fields,
        )
    )


def sign_ins_message(data: DemoData) -> str:
    units = sum(len(b.units) for landlord in data.landlords for b in landlord.buildings)
    rows: list[tuple[str, str, str, str]] = []
    rows += [("landlord", x.email, x.password, "") for x in data.landlords if x.password]
    rows += [("household", x.email or "", x.password, "") for x in data.households if x.password]
    rows += [(s.role.value, s.email, s.password, s.totp_secret) for s in data.staff]
    lines = [
        f"Loaded the fictional demo data: 1 agency, {len(data.landlords)} landlords, "
        f"{units} units, {len(data.households)} households, {len(rows)} sign-ins.",
        "Demo sign-ins (demo passwords, published here on purpose: never reuse them):",
        f"  {'role':<20} {'e-mail':<32} {'password':<20} TOTP secret (staff)",
        *(
            f"  {role:<20} {email:<32} {pw:<20} {secret}".rstrip()
            for role, email, pw, secret in rows
        ),
        "Staff sign in with a second factor: add the TOTP secret to an authenticator app, or run",
        "`SRA_DEMO=1 .venv/bin/sra demo-codes` to print the current six-digit codes.",
    ]
    return "\n".join(lines)


def staff_codes(settings: Settings, now: float | None = None) -> str:
    """The current TOTP code of every demo staff account, one line each."""
    import pyotp

    _require_demo(settings, "demo sign-in codes are shown")
    now = time.time() if now is None else now
    valid_for = 30 - int(now) % 30
    lines = [f"Current demo staff codes (valid for {valid_for} more seconds):"]
    for staff in load_demo_data().staff:
        code = pyotp.TOTP(staff.totp_secret).at(int(now))
        lines.append(f"  {staff.role.value:<20} {staff.email:<26} {code}")
    return "\n".join(lines)
