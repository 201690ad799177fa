"""A unit moves only along the graph of DOMAIN.md; each move is kept, audited and told."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.notifications import Notification
from sra.register.models import Unit, UnitStatus
from sra.register.unit_status import (
    TransitionNotAllowed,
    UnitStatusChange,
    history,
    move_unit,
    open_for_allocation,
)
from tests.sra.register.intake_world import acting, make_world

S = UnitStatus
# DOMAIN.md, written out again on purpose: the test does not trust the module's own table.
EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.INSPECTION_SCHEDULED),
    (S.INSPECTION_SCHEDULED, S.INSPECTED),
    (S.INSPECTED, S.APPROVED),
    (S.SUBMITTED, S.REJECTED),
    (S.INSPECTION_SCHEDULED, S.REJECTED),
    (S.INSPECTED, S.REJECTED),
    (S.REJECTED, S.DRAFT),
    (S.AVAILABLE, S.OFFERED),
    (S.OFFERED, S.LET),
    (S.OFFERED, S.AVAILABLE),
    (S.LET, S.AVAILABLE),
} | {(origin, S.WITHDRAWN) for origin in S if origin is not S.WITHDRAWN}

moves = st.lists(
    st.tuples(st.sampled_from(list(S)), st.sampled_from([None, "", "  ", "Damp walls"])),
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.sampled_from(list(S)), steps=moves)
async def test_any_sequence_of_moves_follows_only_the_allowed_graph(
    db: AsyncSession, start: UnitStatus, steps: list[tuple[UnitStatus, str | None]]
) -> None:
    world = await make_world(db, start, name=f"Agency {start}")
    unit, officer = world.unit, acting(world.officer)
    followed = []
    for to, reason in steps:
        origin = unit.status
        allowed = (origin, to) in EDGES and (to is not S.REJECTED or bool((reason or "").strip()))
        if allowed:
            await move_unit(db, unit, to, actor=officer, reason=reason)
            followed.append((origin, to))
        else:
            with pytest.raises(TransitionNotAllowed):
                await move_unit(db, unit, to, actor=officer, reason=reason)
        assert unit.status is (to if allowed else origin)
    kept = [(m.from_status, m.to_status) for m in await history(db, unit.id)]
    assert kept == followed
    await db.rollback()


async def test_rejection_without_a_reason_is_refused_and_changes_nothing(db: AsyncSession) -> None:
    world = await make_world(db, S.INSPECTED)
    for reason in (None, "", "   "):
        with pytest.raises(TransitionNotAllowed, match="reason"):
            await move_unit(db, world.unit, S.REJECTED, actor=acting(world.officer), reason=reason)
    assert world.unit.status is S.INSPECTED
    assert await history(db, world.unit.id) == []


async def test_approved_unit_becomes_available_only_through_lease_acceptance(
    db: AsyncSession,
) -> None:
    world = await make_world(db, S.APPROVED)
    with pytest.raises(TransitionNotAllowed):
        await move_unit(db, world.unit, S.AVAILABLE, actor=acting(world.officer))
    await open_for_allocation(db, world.unit, actor=None)
    assert world.unit.status is S.AVAILABLE
    with pytest.raises(TransitionNotAllowed):
        await open_for_allocation(db, world.unit, actor=None)


async def test_a_move_is_kept_with_its_reason_audited_and_told_to_the_landlord(
    db: AsyncSession,
) -> None:
    world = await make_world(db, S.SUBMITTED)
    await move_unit(
        db, world.unit, S.REJECTED, actor=acting(world.officer), reason="No smoke alarm"
    )
    await db.commit()

    change = await db.scalar(select(UnitStatusChange))
    assert change is not None
    assert (change.from_status, change.to_status, change.reason) == (
        S.SUBMITTED,
        S.REJECTED,
        "No smoke alarm",
    )
    assert change.actor_id == world.officer.id
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "unit.status"))
    assert entry is not None
    assert (entry.before, entry.after) == ({"status": "submitted"}, {"status": "rejected"})
    notice = await db.scalar(select(Notification))
    assert notice is not None
    assert notice.user_id == world.landlord_user.id
    assert "No smoke alarm" in notice.text
    assert notice.link == f"/landlord/units/{world.unit.id}"
    stored = await db.get(Unit, world.unit.id)
    assert stored is not None
    assert stored.status is S.REJECTED
