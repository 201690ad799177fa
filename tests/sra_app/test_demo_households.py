"""The demo applications after `seed-demo`: walked through the real services to their status."""

from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from matching.offers import Offer
from sra.households.documents import HouseholdDocument
from sra.households.facts import awaiting_reverification
from sra.households.messages import HouseholdMessage
from sra.households.points_store import active_scheme, current_points
from sra.households.status import history
from sra.register.models import Household, HouseholdStatus
from sra.settings import Settings
from sra_app.demo_cli import load_demo_data, seed
from sra_app.demo_households import next_anniversary

S = HouseholdStatus


def test_a_renewal_falls_on_the_next_anniversary_of_registration() -> None:
    assert next_anniversary(date(2024, 3, 10), date(2026, 11, 23)) == date(2027, 3, 10)
    assert next_anniversary(date(2025, 12, 1), date(2026, 11, 23)) == date(2026, 12, 1)
    assert next_anniversary(date(2024, 2, 29), date(2026, 11, 23)) == date(2027, 2, 28)


async def test_each_demo_application_reaches_its_status_with_real_history_and_points(
    settings: Settings, db: AsyncSession
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)

    wanted = {h.reference: h.status for h in load_demo_data().households}
    households = {
        h.reference: h
        for h in await db.scalars(
            select(Household).options(
                selectinload(Household.members), selectinload(Household.incomes)
            )
        )
    }
    # The demo round (tests/sra_app/test_demo_rounds.py) then moves some of them on.
    offered = set(await db.scalars(select(Offer.household_id)))
    assert offered
    assert {ref: h.status for ref, h in households.items() if h.id not in offered} == {
        ref: status for ref, status in wanted.items() if households[ref].id not in offered
    }
    assert households["H-0013"].status is S.DRAFT
    assert await history(db, households["H-0013"].id) == []

    agency_id = households["H-0001"].agency_id
    assert await active_scheme(db, agency_id) is not None
    for ref, status in wanted.items():
        household = households[ref]
        points = await current_points(db, household.id)
        if status in (S.ACTIVE, S.OFFERED, S.HOUSED, S.INACTIVE):
            assert household.verified_facts is not None, ref
            assert points is not None, ref
            assert points.urgency == household.urgency, ref
        else:
            assert points is None, ref
            assert household.urgency == 0, ref

    urgencies = {h.urgency for h in households.values() if h.verified_facts}
    assert len(urgencies) > 5, "the demo points should tell households apart"
    roofless_alone = households["H-0002"]  # ETHOS 1, intensive support
    overcrowded_working = households["H-0007"]  # ETHOS 13, income from work
    assert roofless_alone.urgency > overcrowded_working.urgency

    returned = households["H-0010"]
    moves = [(m.from_status, m.to_status) for m in await history(db, returned.id)]
    assert moves == [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED)]
    asked = await db.scalar(
        select(func.count()).where(HouseholdMessage.household_id == returned.id)
    )
    assert asked == 1
    documents = await db.scalar(
        select(func.count()).where(HouseholdDocument.household_id == households["H-0006"].id)
    )
    assert documents == 2
    changed = households["H-0014"]  # found work after verification
    assert awaiting_reverification(changed)
    assert changed.urgency == (await current_points(db, changed.id)).urgency  # type: ignore[union-attr]
    lapsed = households["H-0016"]
    assert lapsed.renewal_due_on is not None
    assert lapsed.renewal_due_on < date.today()
