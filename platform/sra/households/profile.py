"""A household's needs profile: what it may change and when, what is missing, the changes.

The tenant pages and the JSON API call the same functions, so a rule holds on both. The values
come checked from ``sra.households.profile_form``; a service writes only checked values,
audits the change, flushes and never commits. Status moves go through ``move_household``.

When a verified household (active or inactive) changes its members, income or situation, the
change is saved at once but the points keep using ``Household.verified_facts`` until an officer
looks again (:func:`sra.households.facts.awaiting_reverification`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra import audit
from sra.households.documents import DocumentKind, HouseholdDocument
from sra.households.status import move_household
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.register.models import (
    ADULT_AGE,
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    IncomeSource,
    MemberRelation,
    PreferredArea,
)

S = HouseholdStatus
MAX_MEMBERS = 20
MAX_INCOMES = 30
MAX_AREAS = 20  # the solver's bound on preferred_locations


class EditMode(StrEnum):
    FREE = "free"  # draft or returned: change anything, then send
    REVERIFY = "reverify"  # verified: saved at once, checked again by an officer
    LOCKED = "locked"  # being checked, offered, housed, rejected or withdrawn


_MODES = {
    S.DRAFT: EditMode.FREE,
    S.RETURNED: EditMode.FREE,
    S.ACTIVE: EditMode.REVERIFY,
    S.INACTIVE: EditMode.REVERIFY,
}

# Why the profile cannot be changed now, per status (msgids, translated where shown).
LOCK_REASONS: dict[HouseholdStatus, str] = {
    S.SUBMITTED: lazy(
        "An officer is checking your application, so it cannot be changed right now. We will "
        "tell you when the check is done. If something important changed, please contact the "
        "agency."
    ),
    S.OFFERED: lazy(
        "You have an offer for a home: please answer it first. If something important changed, "
        "please tell your officer."
    ),
    S.HOUSED: lazy("You live in a home let by the agency. Please tell your officer about changes."),
    S.REJECTED: lazy("Your application was not accepted. You can start a new application."),
    S.WITHDRAWN: lazy("Your application is withdrawn. You can open it again."),
}


def edit_mode(household: Household) -> EditMode:
    return _MODES.get(household.status, EditMode.LOCKED)


class ProfileLocked(Exception):
    """The change is not possible in the household's status; ``message`` says why."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid
        super().__init__(msgid)

    @property
    def message(self) -> str:
        return _(self.msgid)


ALREADY_SENT = lazy("Your application was already sent.")
CONSENT_KEPT = lazy(
    "Once your application is sent, consent cannot be taken back on its own: withdraw your "
    "application instead, and ask the agency to erase your data if you wish."
)


def lock_of(household: Household) -> ProfileLocked:
    """Why the household cannot change its profile in its status."""
    return ProfileLocked(LOCK_REASONS.get(household.status, LOCK_REASONS[S.SUBMITTED]))


def ensure_editable(household: Household) -> EditMode:
    mode = edit_mode(household)
    if mode is EditMode.LOCKED:
        raise lock_of(household)
    return mode


@dataclass(frozen=True, slots=True)
class MemberInput:
    first_name: str
    relation: MemberRelation
    birth_year: int


@dataclass(frozen=True, slots=True)
class IncomeInput:
    source: IncomeSource
    amount_cents: int


@dataclass(frozen=True, slots=True)
class NeedsInput:
    wheelchair: bool
    step_free: bool
    ground_floor: bool
    disability: bool
    other_needs: str | None


@dataclass(frozen=True, slots=True)
class LimitsInput:
    max_distance_km: float | None
    max_rent_cents: int | None


@dataclass(frozen=True, slots=True)
class SituationInput:
    ethos_category: int | None
    displaced: bool
    eviction_threat: bool
    eviction_date: date | None
    current_rent_cents: int | None


@dataclass(frozen=True, slots=True)
class AreaInput:
    name: str
    lat: float
    lon: float


# --- reading the household ----------------------------------------------------------------


async def own_household(session: AsyncSession, user_id: UUID) -> Household | None:
    """The signed-in household's record with members, incomes and preferred areas loaded."""
    household: Household | None = await session.scalar(
        select(Household)
        .where(Household.user_id == user_id)
        .options(
            selectinload(Household.members),
            selectinload(Household.incomes),
            selectinload(Household.preferred_areas),
        )
    )
    return household


# --- what is missing before the application can be sent ------------------------------------


@dataclass(frozen=True, slots=True)
class Missing:
    key: str  # the section (and the API error key)
    message: str  # msgid
    link: str


MISSING_ADULT = Missing(
    "members",
    lazy("Add at least one adult (18 or older) to your household."),
    "/tenant/profile/members",
)
MISSING_INCOME = Missing(
    "incomes",
    lazy("Tell us your income per month. If you have no income, enter 0."),
    "/tenant/profile/incomes",
)
MISSING_AREA = Missing(
    "areas",
    lazy("Choose at least one place where you would like to live."),
    "/tenant/profile/areas",
)
MISSING_IDENTITY = Missing(
    "documents", lazy("Upload at least one identity document."), "/tenant/documents"
)
MISSING_CONSENT = Missing(
    "consent",
    lazy("Agree to the use of your data for your application."),
    "/tenant/profile/consent",
)


def missing_items(household: Household, *, has_identity: bool, today: date) -> list[Missing]:
    """What the application still needs, in the order of the pages (loaded household)."""
    checks = [
        (household.adults_in(today.year) >= 1, MISSING_ADULT),
        (bool(household.incomes), MISSING_INCOME),
        (bool(household.preferred_areas), MISSING_AREA),
        (has_identity, MISSING_IDENTITY),
        (household.consent_given, MISSING_CONSENT),
    ]
    return [item for ok, item in checks if not ok]


async def has_identity_document(session: AsyncSession, household_id: UUID) -> bool:
    count = await session.scalar(
        select(func.count())
        .select_from(HouseholdDocument)
        .where(
            HouseholdDocument.household_id == household_id,
            HouseholdDocument.kind == DocumentKind.IDENTITY,
        )
    )
    return bool(count)


async def missing_for_submission(session: AsyncSession, household: Household) -> list[Missing]:
    has_identity = await has_identity_document(session, household.id)
    return missing_items(household, has_identity=has_identity, today=date.today())


class Incomplete(ValueError):
    def __init__(self, missing: list[Missing]) -> None:
        self.missing = missing
        super().__init__(", ".join(m.key for m in missing))


# --- changes ------------------------------------------------------------------------------


def _values(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


async def _audit(
    session: AsyncSession,
    actor: CurrentUser,
    action: str,
    record: Household | HouseholdMember | HouseholdIncome | PreferredArea,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    await session.flush()  # a new row gets its id
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action=action,
        entity=record.__tablename__,
        entity_id=record.id,
        before=before,
        after=after,
    )


async def save_fields(
    session: AsyncSession, household: Household, values: object, action: str, actor: CurrentUser
) -> None:
    """Copy a checked input (needs, limits, situation) onto the household, audited."""
    ensure_editable(household)
    names = tuple(f.name for f in fields(values))  # type: ignore[arg-type]
    before = _values(household, names)
    for name in names:
        setattr(household, name, getattr(values, name))
    await _audit(session, actor, action, household, before, _values(household, names))


Row = TypeVar("Row", HouseholdMember, HouseholdIncome, PreferredArea)


def find_row(rows: list[Row], row_id: UUID) -> Row | None:
    """One of the household's own (loaded) rows: another household's id finds nothing."""
    return next((row for row in rows if row.id == row_id), None)


Input = MemberInput | IncomeInput | AreaInput


@dataclass(frozen=True, slots=True)
class RowKind:
    """A list of rows under the household: its relationship, model, columns and cap."""

    attr: str
    model: type[HouseholdMember] | type[HouseholdIncome] | type[PreferredArea]
    columns: tuple[str, ...]
    cap: int
    too_many: str  # msgid


ROW_KINDS = {
    "members": RowKind(
        "members",
        HouseholdMember,
        ("first_name", "relation", "birth_year"),
        MAX_MEMBERS,
        lazy("A household can have at most 20 members."),
    ),
    "incomes": RowKind(
        "incomes",
        HouseholdIncome,
        ("source", "amount_cents"),
        MAX_INCOMES,
        lazy("You can list at most 30 incomes."),
    ),
    "areas": RowKind(
        "preferred_areas",
        PreferredArea,
        ("name", "lat", "lon"),
        MAX_AREAS,
        lazy("You can choose at most 20 places."),
    ),
}


def rows_of(household: Household, kind: str) -> list[Any]:
    return list(getattr(household, ROW_KINDS[kind].attr))


def row_rules(household: Household, kind: str, inputs: list[Any]) -> Errors:
    """The rules on the list as a whole (one error keyed by ``kind``)."""
    if len(inputs) > ROW_KINDS[kind].cap:
        return {kind: _(ROW_KINDS[kind].too_many)}
    if kind == "areas" and len({i.name for i in inputs}) < len(inputs):
        return {kind: _("This place is already in your list.")}
    if kind != "members" or edit_mode(household) is not EditMode.REVERIFY:
        return {}
    # A verified household keeps an adult; a draft may be incomplete until it is sent.
    if not any(date.today().year - i.birth_year >= ADULT_AGE for i in inputs):
        return {kind: _("Your household needs at least one adult (18 or older).")}
    return {}


async def set_rows(
    session: AsyncSession, household: Household, kind: str, inputs: list[Any], *, actor: CurrentUser
) -> Errors:
    """Make the household's ``kind`` rows hold ``inputs`` (checked values); the errors when
    nothing was saved. A row whose values stay is kept; the others are removed or added."""
    ensure_editable(household)
    if errors := row_rules(household, kind, inputs):
        return errors
    spec = ROW_KINDS[kind]
    rows: list[Any] = getattr(household, spec.attr)
    wanted = [tuple(getattr(i, c) for c in spec.columns) for i in inputs]
    for row in list(rows):
        values = tuple(getattr(row, c) for c in spec.columns)
        if values in wanted:
            wanted.remove(values)
            continue
        rows.remove(row)
        await _audit(session, actor, f"household.{kind}_removed", row, _values(row, spec.columns))
    for values in wanted:
        row = spec.model(**dict(zip(spec.columns, values, strict=True)))
        rows.append(row)
        await _audit(
            session,
            actor,
            f"household.{kind}_added",
            row,
            None,
            dict(zip(spec.columns, values, strict=True)),
        )
    household.monthly_income_cents = sum(i.amount_cents for i in household.incomes)
    await session.flush()
    return {}


def input_of(row: Any, kind: str) -> Any:
    """A stored row as the input that would make it (to rebuild the list around a change)."""
    cls = {"members": MemberInput, "incomes": IncomeInput, "areas": AreaInput}[kind]
    return cls(*(getattr(row, c) for c in ROW_KINDS[kind].columns))


async def save_row(
    session: AsyncSession,
    household: Household,
    kind: str,
    new: Input | None,
    *,
    actor: CurrentUser,
    row: Any = None,
) -> Errors:
    """Add ``new``, put it in the place of ``row``, or (``new`` None) remove ``row``."""
    inputs = [input_of(r, kind) for r in rows_of(household, kind) if r is not row]
    return await set_rows(session, household, kind, [*inputs, *([new] if new else [])], actor=actor)


async def set_consent(
    session: AsyncSession, household: Household, given: bool, *, actor: CurrentUser
) -> None:
    """Consent can be taken back only before the application is sent (then: withdraw it)."""
    if given == household.consent_given:
        return
    if not given and edit_mode(household) is not EditMode.FREE:
        raise ProfileLocked(CONSENT_KEPT)
    before = _values(household, ("consent_given", "consent_given_at"))
    household.consent_given = given
    household.consent_given_at = datetime.now(UTC) if given else None
    after = _values(household, ("consent_given", "consent_given_at"))
    await _audit(session, actor, "household.consent_saved", household, before, after)


# --- the application's status ---------------------------------------------------------------


async def send_application(
    session: AsyncSession, household: Household, *, actor: CurrentUser
) -> None:
    """Draft or returned -> submitted when complete; raises Incomplete or ProfileLocked."""
    if edit_mode(household) is not EditMode.FREE:
        raise ProfileLocked(LOCK_REASONS.get(household.status, ALREADY_SENT))
    missing = await missing_for_submission(session, household)
    if missing:
        raise Incomplete(missing)
    await move_household(session, household, S.SUBMITTED, actor=actor)
