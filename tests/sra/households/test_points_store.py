"""The points register in the database: scheme versions, one active per agency, recomputation
from verified facts only, history kept, and the household's data export."""

from __future__ import annotations

import msgspec
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.facts import HouseholdFacts, facts_to_json
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.households.points import IncomeBand, default_rules, rules_to_json
from sra.households.points_store import (
    HouseholdPoints,
    InvalidScheme,
    PointsScheme,
    SchemeNotDraft,
    SchemeStatus,
    activate_scheme,
    active_scheme,
    create_draft_from,
    current_points,
    ensure_default_scheme,
    households_to_recompute,
    points_history,
    recompute_household,
    schemes_of,
    update_draft,
)
from sra.register.models import Agency, Household
from tests.sra.register.records import add_agency, add_household

ROOFLESS = HouseholdFacts(adults=1, children=0, monthly_income_cents=100000, ethos_category=1)


async def verified(
    db: AsyncSession, agency: Agency, name: str, facts: HouseholdFacts = ROOFLESS
) -> Household:
    household = await add_household(db, agency, name)
    household.verified_facts = facts_to_json(facts)
    await db.flush()
    return household


async def rows_of(db: AsyncSession, household: Household) -> list[HouseholdPoints]:
    return list(
        await db.scalars(
            select(HouseholdPoints)
            .where(HouseholdPoints.household_id == household.id)
            .order_by(HouseholdPoints.created_at)
        )
    )


async def test_ensure_default_scheme_makes_version_1_active_once(db: AsyncSession) -> None:
    agency = await add_agency(db)

    first = await ensure_default_scheme(db, agency.id)
    again = await ensure_default_scheme(db, agency.id)

    assert first.id == again.id
    assert (first.version, first.status) == (1, SchemeStatus.ACTIVE)
    assert first.scheme_rules == default_rules()
    assert [s.id for s in await schemes_of(db, agency.id)] == [first.id]


async def test_a_household_never_verified_gets_no_points(db: AsyncSession) -> None:
    agency = await add_agency(db)
    household = await add_household(db, agency, "Una Example")

    assert await recompute_household(db, household, actor=None) is None
    assert household.urgency == 0
    assert await rows_of(db, household) == []


async def test_recompute_scores_the_verified_facts_by_the_default_scheme_first(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    household = await verified(db, agency, "Rosa Example")

    row = await recompute_household(db, household, actor=None)

    assert row is not None
    # 1000.00 is 77 % of 1300.00 (band 100: 20) + roofless 40 = 60 of 167.
    assert (row.raw_total, row.max_total, row.urgency) == (60, 167, 359)
    assert household.urgency == 359
    assert [line.code for line in row.score_lines] == ["income_band", "ethos_roofless"]
    assert len(await rows_of(db, household)) == 1  # not once by the activation and once more
    assert (await active_scheme(db, agency.id)) is not None


async def test_points_use_the_verified_facts_not_the_record_as_it_stands(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    household = await verified(db, agency, "Vera Example")
    household.monthly_income_cents = 900000  # changed after verification, not yet checked
    household.ethos_category = None

    row = await recompute_household(db, household, actor=None)

    assert row is not None
    assert row.raw_total == 60


async def test_each_recomputation_adds_history_and_only_the_last_is_current(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    household = await verified(db, agency, "Hana Example")
    await recompute_household(db, household, actor=None)
    household.verified_facts = facts_to_json(msgspec.structs.replace(ROOFLESS, disability=True))

    latest = await recompute_household(db, household, actor=None)

    rows = await rows_of(db, household)
    assert [r.raw_total for r in rows] == [60, 70]
    assert [r.is_current for r in rows] == [False, True]
    assert (await current_points(db, household.id)) == latest
    entries = await db.scalars(select(AuditEntry).where(AuditEntry.action == "household.points"))
    assert [e.after for e in entries] == [{"urgency": 419}]


async def test_activating_a_draft_retires_the_old_scheme_and_recomputes_verified_households(
    db: AsyncSession,
) -> None:
    agency, elsewhere = await add_agency(db), await add_agency(db, "Other agency")
    old = await ensure_default_scheme(db, agency.id)
    ours = await verified(db, agency, "Ola Example")
    await recompute_household(db, ours, actor=None)
    unverified = await add_household(db, agency, "Nia Example")
    theirs = await verified(db, elsewhere, "Tom Example")
    draft = await create_draft_from(db, agency.id, old)
    rules = msgspec.structs.replace(draft.scheme_rules, income_bands=(IncomeBand(100, 60),))
    assert await update_draft(db, draft, name="2026 scheme", rules=rules, actor=None) == []
    assert await households_to_recompute(db, agency.id) == 1

    recomputed = await activate_scheme(db, draft, None)

    assert recomputed == 1
    assert (old.status, draft.status) == (SchemeStatus.RETIRED, SchemeStatus.ACTIVE)
    assert draft.version == 2
    assert draft.activated_at is not None
    history = await points_history(db, ours.id)
    assert [(row.raw_total, version, row.is_current) for row, version in history] == [
        (100, 2, True),
        (60, 1, False),
    ]
    assert ours.urgency == history[0][0].urgency
    assert await rows_of(db, unverified) == []
    assert unverified.urgency == 0
    assert await rows_of(db, theirs) == []
    entry = await db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "points_scheme.activated", AuditEntry.entity_id == str(draft.id)
        )
    )
    assert entry is not None
    assert entry.after is not None
    assert (entry.after["households_recomputed"], entry.after["retired_version"]) == (1, 1)


async def test_a_draft_with_bad_rules_is_not_saved(db: AsyncSession) -> None:
    agency = await add_agency(db)
    draft = await create_draft_from(db, agency.id, None)
    bad = msgspec.structs.replace(draft.scheme_rules, eviction_points=-5)

    errors = await update_draft(db, draft, name="Bad", rules=bad, actor=None)

    assert ("eviction_points", "Points cannot be negative.") in errors
    await db.refresh(draft)
    assert draft.name == "Standard scheme"
    assert draft.scheme_rules == default_rules()


async def test_only_a_draft_can_be_changed_or_activated(db: AsyncSession) -> None:
    agency = await add_agency(db)
    active = await ensure_default_scheme(db, agency.id)

    with pytest.raises(SchemeNotDraft):
        await update_draft(db, active, name="x", rules=default_rules(), actor=None)
    with pytest.raises(SchemeNotDraft):
        await activate_scheme(db, active, None)


async def test_a_draft_whose_stored_rules_are_invalid_cannot_be_activated(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    draft = await create_draft_from(db, agency.id, None)
    draft.rules = {**draft.rules, "displaced_points": -1}

    with pytest.raises(InvalidScheme):
        await activate_scheme(db, draft, None)
    assert draft.status is SchemeStatus.DRAFT


async def test_the_database_refuses_a_second_active_scheme_for_an_agency(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    await ensure_default_scheme(db, agency.id)
    await db.commit()
    db.add(
        PointsScheme(
            agency_id=agency.id,
            version=2,
            name="Sneaked in",
            rules=rules_to_json(default_rules()),
            status=SchemeStatus.ACTIVE,
        )
    )

    with pytest.raises(IntegrityError):
        await db.flush()
    await db.rollback()


async def test_the_data_export_holds_the_current_points_and_their_history(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    household = await verified(db, agency, "Ewa Example")
    await recompute_household(db, household, actor=None)
    await recompute_household(db, household, actor=None)

    exported = await EXPORTERS["points"](db, household)

    assert exported["current"]["urgency"] == 359
    assert exported["current"]["lines"][1] == {
        "rule": "ethos_roofless",
        "points": 40,
        "reason": "You have no roof over your head (ETHOS: roofless).",
    }
    assert [entry["is_current"] for entry in exported["history"]] == [True, False]


async def test_erasure_removes_the_points_and_their_reasons(db: AsyncSession) -> None:
    agency = await add_agency(db)
    household = await verified(db, agency, "Ida Example")
    await recompute_household(db, household, actor=None)

    await ERASERS["points"](db, household)

    assert await rows_of(db, household) == []
    assert household.urgency == 0
