"""The agency's points schemes (versioned, one active at a time) and each household's points.

Points are computed, never typed: the only writers of ``HouseholdPoints`` and of
``Household.urgency`` here are :func:`recompute_household` (after a verification) and
:func:`activate_scheme` (a new scheme recomputes every verified household). Rows of
``household_points`` are history: a recomputation adds a row and marks the previous one as no
longer current; nothing else changes them.

Services flush and never commit: a request (or the demo loader) commits once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.households.facts import verified_facts
from sra.households.personal_data import eraser, exporter
from sra.households.points import (
    SchemeRules,
    Score,
    default_rules,
    explain,
    rules_to_json,
    score,
    validate,
)
from sra.households.points_models import (
    SCHEME_STATUS,
    HouseholdPoints,
    PointsScheme,
    SchemeStatus,
)
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.register.models import Household

__all__ = [
    "SCHEME_STATUS",
    "HouseholdPoints",
    "PointsScheme",
    "SchemeStatus",
    "default_rules",
]

RECOMPUTE_CHUNK = 200
DEFAULT_NAME = "Standard scheme"


class SchemeNotDraft(ValueError):
    """Only a draft can be changed or activated; an active or retired version is history."""


class InvalidScheme(ValueError):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))


def _snapshot(scheme: PointsScheme) -> dict[str, Any]:
    return {
        "agency_id": scheme.agency_id,
        "version": scheme.version,
        "name": scheme.name,
        "rules": scheme.rules,
        "status": scheme.status,
        "activated_at": scheme.activated_at,
        "activated_by": scheme.activated_by,
    }


async def schemes_of(session: AsyncSession, agency_id: UUID) -> list[PointsScheme]:
    """The agency's versions, newest first."""
    rows = await session.scalars(
        select(PointsScheme)
        .where(PointsScheme.agency_id == agency_id)
        .order_by(PointsScheme.version.desc())
    )
    return list(rows)


async def scheme_of_agency(
    session: AsyncSession, agency_id: UUID, scheme_id: UUID
) -> PointsScheme | None:
    scheme: PointsScheme | None = await session.scalar(
        select(PointsScheme).where(
            PointsScheme.id == scheme_id, PointsScheme.agency_id == agency_id
        )
    )
    return scheme


async def active_scheme(session: AsyncSession, agency_id: UUID) -> PointsScheme | None:
    scheme: PointsScheme | None = await session.scalar(
        select(PointsScheme).where(
            PointsScheme.agency_id == agency_id, PointsScheme.status == SchemeStatus.ACTIVE
        )
    )
    return scheme


async def _next_version(session: AsyncSession, agency_id: UUID) -> int:
    last = await session.scalar(
        select(func.max(PointsScheme.version)).where(PointsScheme.agency_id == agency_id)
    )
    return (last or 0) + 1


async def create_draft_from(
    session: AsyncSession,
    agency_id: UUID,
    base: PointsScheme | None,
    *,
    actor: CurrentUser | None = None,
) -> PointsScheme:
    """A new draft version, a copy of ``base`` (the default rules without one)."""
    if base is not None and base.agency_id != agency_id:
        raise ValueError("a draft copies a scheme of its own agency")
    draft = PointsScheme(
        agency_id=agency_id,
        version=await _next_version(session, agency_id),
        name=base.name if base else DEFAULT_NAME,
        rules=dict(base.rules) if base else rules_to_json(default_rules()),
        status=SchemeStatus.DRAFT,
    )
    session.add(draft)
    await session.flush()
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="points_scheme.draft",
        entity="points_scheme",
        entity_id=draft.id,
        after=_snapshot(draft),
    )
    await session.flush()
    return draft


def name_errors(name: str) -> list[tuple[str, str]]:
    if not name.strip() or len(name.strip()) > 200:
        return [("name", lazy("Please give the scheme a name of at most 200 characters."))]
    return []


async def update_draft(
    session: AsyncSession,
    scheme: PointsScheme,
    *,
    name: str,
    rules: SchemeRules,
    actor: CurrentUser | None,
) -> list[tuple[str, str]]:
    """Change a draft; returns the errors (field path, msgid) and then changes nothing."""
    if scheme.status is not SchemeStatus.DRAFT:
        raise SchemeNotDraft(f"version {scheme.version} is {scheme.status.value}")
    errors = name_errors(name) + validate(rules)
    if errors:
        return errors
    before = _snapshot(scheme)
    scheme.name = name.strip()
    scheme.rules = rules_to_json(rules)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="points_scheme.changed",
        entity="points_scheme",
        entity_id=scheme.id,
        before=before,
        after=_snapshot(scheme),
    )
    await session.flush()
    return []


async def households_to_recompute(session: AsyncSession, agency_id: UUID) -> int:
    """How many households an activation recomputes: those verified at least once."""
    count = await session.scalar(
        select(func.count())
        .select_from(Household)
        .where(Household.agency_id == agency_id, Household.verified_facts.is_not(None))
    )
    return int(count or 0)


async def activate_scheme(
    session: AsyncSession, scheme: PointsScheme, actor: CurrentUser | None
) -> int:
    """Make the draft the agency's scheme, retire the one before, and recompute every verified
    household of the agency (history kept). Returns how many households were recomputed."""
    if scheme.status is not SchemeStatus.DRAFT:
        raise SchemeNotDraft(f"version {scheme.version} is {scheme.status.value}")
    errors = validate(scheme.scheme_rules)
    if errors:
        raise InvalidScheme(errors)
    previous = await active_scheme(session, scheme.agency_id)
    if previous is not None:
        previous.status = SchemeStatus.RETIRED
        await session.flush()  # the old one leaves "active" before the new one enters it
    before = _snapshot(scheme)
    scheme.status = SchemeStatus.ACTIVE
    scheme.activated_at = datetime.now(UTC)
    scheme.activated_by = actor.id if actor else None
    await session.flush()
    recomputed = await _recompute_agency(session, scheme)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="points_scheme.activated",
        entity="points_scheme",
        entity_id=scheme.id,
        before=before,
        after={
            **_snapshot(scheme),
            "households_recomputed": recomputed,
            "retired_version": previous.version if previous else None,
        },
    )
    await session.flush()
    return recomputed


async def _recompute_agency(session: AsyncSession, scheme: PointsScheme) -> int:
    """Every verified household of the scheme's agency, a chunk at a time (one transaction:
    the register never shows points of two schemes at once)."""
    ids = list(
        await session.scalars(
            select(Household.id)
            .where(Household.agency_id == scheme.agency_id, Household.verified_facts.is_not(None))
            .order_by(Household.id)
        )
    )
    rules, now, done = scheme.scheme_rules, datetime.now(UTC), 0
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = ids[start : start + RECOMPUTE_CHUNK]
        households = await session.scalars(select(Household).where(Household.id.in_(chunk)))
        scored = [(h, facts) for h in households if (facts := verified_facts(h)) is not None]
        await _retire_current(session, [h.id for h, _facts in scored])
        for household, facts in scored:
            _add_points(session, household, scheme, score(facts, rules), now)
        await session.flush()
        done += len(scored)
    return done


async def _retire_current(session: AsyncSession, household_ids: list[UUID]) -> None:
    if household_ids:
        await session.execute(
            update(HouseholdPoints)
            .where(HouseholdPoints.household_id.in_(household_ids), HouseholdPoints.is_current)
            .values(is_current=False)
        )


def _add_points(
    session: AsyncSession,
    household: Household,
    scheme: PointsScheme,
    result: Score,
    now: datetime,
) -> HouseholdPoints:
    row = HouseholdPoints(
        household_id=household.id,
        scheme_id=scheme.id,
        computed_at=now,
        raw_total=result.raw_total,
        max_total=result.max_total,
        urgency=result.urgency,
        lines=[msgspec.to_builtins(line) for line in result.lines],
        is_current=True,
    )
    session.add(row)
    household.urgency = result.urgency
    return row


async def ensure_default_scheme(
    session: AsyncSession, agency_id: UUID, *, actor: CurrentUser | None = None
) -> PointsScheme:
    """The agency's active scheme; when it has none, the default rules become a new active
    version (and every verified household is scored by it). The demo loader calls this."""
    scheme, _created = await _ensure(session, agency_id, actor)
    return scheme


async def _ensure(
    session: AsyncSession, agency_id: UUID, actor: CurrentUser | None
) -> tuple[PointsScheme, bool]:
    scheme = await active_scheme(session, agency_id)
    if scheme is not None:
        return scheme, False
    draft = await create_draft_from(session, agency_id, None, actor=actor)
    await activate_scheme(session, draft, actor)
    return draft, True


async def recompute_household(
    session: AsyncSession, household: Household, *, actor: CurrentUser | None
) -> HouseholdPoints | None:
    """Score the household's verified facts by its agency's active scheme (the default one if
    the agency has none yet) and set ``household.urgency``. None before the first
    verification: the household then has no points and its urgency is left as it is (0)."""
    facts = verified_facts(household)
    if facts is None:
        return None
    scheme, created = await _ensure(session, household.agency_id, actor)
    if created:  # the new scheme's activation has just scored this household
        return await current_points(session, household.id)
    before = household.urgency
    await _retire_current(session, [household.id])
    row = _add_points(session, household, scheme, score(facts, scheme.scheme_rules), _now())
    await session.flush()
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="household.points",
        entity="household",
        entity_id=household.id,
        before={"urgency": before},
        after={"urgency": household.urgency},
    )
    await session.flush()
    return row


def _now() -> datetime:
    return datetime.now(UTC)


async def current_points(session: AsyncSession, household_id: UUID) -> HouseholdPoints | None:
    row: HouseholdPoints | None = await session.scalar(
        select(HouseholdPoints).where(
            HouseholdPoints.household_id == household_id, HouseholdPoints.is_current
        )
    )
    return row


async def points_history(
    session: AsyncSession, household_id: UUID
) -> list[tuple[HouseholdPoints, int]]:
    """Every computation of the household's points with its scheme version, newest first."""
    rows = await session.execute(
        select(HouseholdPoints, PointsScheme.version)
        .join(PointsScheme, PointsScheme.id == HouseholdPoints.scheme_id)
        .where(HouseholdPoints.household_id == household_id)
        .order_by(HouseholdPoints.computed_at.desc(), HouseholdPoints.created_at.desc())
    )
    return [(row, version) for row, version in rows.tuples()]


def points_json(row: HouseholdPoints, version: int) -> dict[str, Any]:
    """A computation as plain JSON values, each reason in the current language."""
    return {
        "computed_at": row.computed_at.isoformat(),
        "scheme_version": version,
        "raw_total": row.raw_total,
        "max_total": row.max_total,
        "urgency": row.urgency,
        "is_current": row.is_current,
        "lines": [
            {"rule": line.code, "points": line.points, "reason": explain(line)}
            for line in row.score_lines
        ],
    }


@exporter("points")
async def _export_points(session: AsyncSession, household: Household) -> dict[str, Any]:
    history = [
        points_json(row, version) for row, version in await points_history(session, household.id)
    ]
    current = next((entry for entry in history if entry["is_current"]), None)
    return {"current": current, "history": history}


@eraser("points")
async def _erase_points(session: AsyncSession, household: Household) -> None:
    """The reasons name the household's situation (homelessness, disability): erased with it."""
    await session.execute(
        delete(HouseholdPoints).where(HouseholdPoints.household_id == household.id)
    )
    household.urgency = 0
    await session.flush()
