"""A household moves only along the graph of DOMAIN.md; each move is kept, audited and told."""

from __future__ import annotations

from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.status import TransitionNotAllowed, history, move_household
from sra.identity.roles import Role
from sra.notifications import Notification
from sra.register.models import HouseholdStatus
from tests.sra.register.intake_world import acting
from tests.sra.register.records import add_agency, add_household_account, add_user

S = HouseholdStatus
# DOMAIN.md, written out again on purpose: the test does not trust the module's own table.
EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.ACTIVE),
    (S.SUBMITTED, S.RETURNED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.REJECTED),
    (S.ACTIVE, S.OFFERED),
    (S.OFFERED, S.HOUSED),
    (S.OFFERED, S.ACTIVE),
    (S.ACTIVE, S.INACTIVE),
    (S.INACTIVE, S.ACTIVE),
    (S.REJECTED, S.DRAFT),
    (S.WITHDRAWN, S.DRAFT),
} | {(origin, S.WITHDRAWN) for origin in S if origin is not S.WITHDRAWN}
NEEDS_A_REASON = {S.REJECTED, S.RETURNED}

moves = st.lists(
    st.tuples(st.sampled_from(list(S)), st.sampled_from([None, "", "  ", "Payslip missing"])),
    max_size=12,
)
_agencies = count(1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.sampled_from(list(S)), steps=moves)
async def test_any_sequence_of_moves_follows_only_the_allowed_graph(
    db: AsyncSession, start: HouseholdStatus, steps: list[tuple[HouseholdStatus, str | None]]
) -> None:
    agency = await add_agency(db, f"Agency {next(_agencies)}")
    officer = acting(await add_user(db, Role.ALLOCATION_OFFICER, agency.id))
    _, household = await add_household_account(db, agency, status=start)
    followed = []
    for to, reason in steps:
        origin = household.status
        allowed = (origin, to) in EDGES and (
            to not in NEEDS_A_REASON or bool((reason or "").strip())
        )
        if allowed:
            await move_household(db, household, to, actor=officer, reason=reason)
            followed.append((origin, to))
        else:
            with pytest.raises(TransitionNotAllowed):
                await move_household(db, household, to, actor=officer, reason=reason)
        assert household.status is (to if allowed else origin)
    kept = [(m.from_status, m.to_status) for m in await history(db, household.id)]
    assert kept == followed
    await db.rollback()


async def test_asking_for_information_is_kept_audited_and_told_with_a_link_to_the_question(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    user, household = await add_household_account(db, agency, status=S.SUBMITTED)
    await move_household(
        db, household, S.RETURNED, actor=acting(officer), reason="Please add a payslip"
    )
    await db.commit()

    [change] = await history(db, household.id)
    assert (change.from_status, change.to_status, change.reason) == (
        S.SUBMITTED,
        S.RETURNED,
        "Please add a payslip",
    )
    assert change.actor_id == officer.id
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "household.status"))
    assert entry is not None
    assert (entry.before, entry.after) == ({"status": "submitted"}, {"status": "returned"})
    notice = await db.scalar(select(Notification).where(Notification.user_id == user.id))
    assert notice is not None
    assert "Please add a payslip" in notice.text
    assert notice.link == "/tenant/messages"


async def test_sending_the_application_stamps_when_it_was_sent(db: AsyncSession) -> None:
    agency = await add_agency(db)
    _, household = await add_household_account(db, agency)
    assert household.submitted_at is None
    await move_household(db, household, S.SUBMITTED, actor=None)
    assert household.submitted_at is not None


async def test_a_closed_offer_tells_the_household_it_is_back_on_the_waiting_list(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=S.OFFERED)
    await move_household(db, household, S.ACTIVE, actor=None)
    notice = await db.scalar(select(Notification).where(Notification.user_id == user.id))
    assert notice is not None
    assert "back on the waiting list" in notice.text


async def test_a_move_the_caller_announces_itself_sends_no_notice(db: AsyncSession) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=S.ACTIVE)
    await move_household(db, household, S.OFFERED, actor=None, tell=False)
    assert await db.scalar(select(Notification).where(Notification.user_id == user.id)) is None
    assert [m.to_status for m in await history(db, household.id)] == [S.OFFERED]
