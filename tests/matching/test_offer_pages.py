"""Staff offer pages: the list, one offer, and the officer's choice after a decline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching import offers
from matching.offers import FollowUp, Offer, OfferStatus
from matching.rounds import AllocationRound, Decision, Proposal, RoundMode, RoundStatus, RoundUnit
from sra.identity.roles import Role
from sra.register.models import Household, Landlord, Unit, UnitStatus
from tests.matching.offer_world import (
    OfferWorld,
    add_waiting_household,
    make_offer_world,
    sent_offer,
    statuses,
)
from tests.sessions import sign_in_as
from tests.sra.register.intake_world import Client, error_beside, post
from tests.sra.register.records import add_unit, add_user


@dataclass
class Round:
    world: OfferWorld
    round_: AllocationRound
    proposal: Proposal
    next_best: Household  # eligible and free
    needs_wheelchair: Household  # listed, but the flat is not accessible
    busy: Household  # listed, but waiting on another proposal of the round


def proposal(round_: AllocationRound, unit: Unit, household: Household, **more: object) -> Proposal:
    values: dict[str, object] = {
        "score": 100,
        "urgency_term": 0,
        "waiting_term": 100,
        "km_penalty": 0,
        "distance_km": 0.0,
        "alternatives": [],
    }
    return Proposal(
        round_id=round_.id, run=1, unit_id=unit.id, household_id=household.id, **(values | more)
    )


async def declined_in_a_round(db: AsyncSession) -> tuple[Round, Offer]:
    """A round proposed the flat to the world's household, which declined it."""
    world = await make_offer_world(db)
    round_ = AllocationRound(
        agency_id=world.agency.id,
        name="Spring round",
        round_date=date.today(),
        status=RoundStatus.PROPOSED,
        mode=RoundMode.MAX_HOUSED,
        weight_urgency=10,
        weight_waiting_day=1,
        weight_km=3,
        run_number=1,
        progress_percent=100,
    )
    db.add(round_)
    await db.flush()
    db.add(RoundUnit(round_id=round_.id, unit_id=world.unit.id))
    _u, next_best = await add_waiting_household(db, world.agency, "Lina Example")
    _u, needs_wheelchair = await add_waiting_household(db, world.agency, "Sam Example")
    needs_wheelchair.wheelchair = True
    _u, busy = await add_waiting_household(db, world.agency, "Petra Example")
    landlord = await db.scalar(select(Landlord).where(Landlord.agency_id == world.agency.id))
    assert landlord is not None
    elsewhere = await add_unit(db, landlord, "Flat 2")
    listed = [needs_wheelchair, busy, next_best]
    made = proposal(
        round_,
        world.unit,
        world.household,
        alternatives=[{"household_id": str(h.id), "score": 90, "distance_km": 0.0} for h in listed],
        decision=Decision.APPROVED,
    )
    db.add_all([made, proposal(round_, elsewhere, busy, decision=Decision.PENDING)])
    await db.commit()
    offer = await sent_offer(db, world, round_id=round_.id, proposal_id=made.id)
    await offers.decline(db, offer, reason="size", note="", actor=None)
    await db.commit()
    return Round(world, round_, made, next_best, needs_wheelchair, busy), offer


async def offer_count(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Offer)) or 0)


async def test_the_officer_sees_the_still_eligible_next_best_and_offers_the_flat(
    client: Client, db: AsyncSession
) -> None:
    found, offer = await declined_in_a_round(db)
    await sign_in_as(client, db, found.world.officer)

    page = await client.get(f"/staff/offers/{offer.id}")
    deadline = (date.today() + timedelta(days=7)).isoformat()
    response = await post(
        client,
        f"/staff/offers/{offer.id}/next-household",
        {"household": str(found.next_best.id), "deadline": deadline},
    )

    assert page.status_code == 200
    assert found.next_best.name in page.text
    assert found.needs_wheelchair.name not in page.text
    assert found.busy.name not in page.text
    assert response.status_code == 303
    new = await db.scalar(select(Offer).where(Offer.household_id == found.next_best.id))
    assert new is not None
    assert response.headers["location"] == f"/staff/offers/{new.id}"
    assert (new.status, new.round_id, new.proposal_id) == (
        OfferStatus.SENT,
        found.round_.id,
        found.proposal.id,
    )
    assert await statuses(db, found.world.unit, found.next_best) == ("offered", "offered")
    old = await db.scalar(
        select(Offer).where(Offer.id == offer.id).execution_options(populate_existing=True)
    )
    assert old is not None
    assert (old.follow_up, old.next_offer_id) == (FollowUp.NEXT_HOUSEHOLD, new.id)


@pytest.mark.parametrize(
    ("who", "deadline", "field"),
    [("needs_wheelchair", 7, "household"), ("busy", 7, "household"), ("next_best", 0, "deadline")],
)
async def test_a_household_off_the_list_or_a_past_deadline_is_refused_and_nothing_is_sent(
    client: Client, db: AsyncSession, who: str, deadline: int, field: str
) -> None:
    found, offer = await declined_in_a_round(db)
    await sign_in_as(client, db, found.world.officer)
    household: Household = getattr(found, who)

    response = await post(
        client,
        f"/staff/offers/{offer.id}/next-household",
        {
            "household": str(household.id),
            "deadline": (date.today() + timedelta(days=deadline)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert error_beside(response.text, field)
    assert await offer_count(db) == 1
    assert await statuses(db, found.world.unit, household) == ("available", "active")


async def test_leaving_the_flat_for_the_next_round_is_recorded_once(
    client: Client, db: AsyncSession
) -> None:
    found, offer = await declined_in_a_round(db)
    await sign_in_as(client, db, found.world.officer)

    first = await post(client, f"/staff/offers/{offer.id}/next-round", {})
    second = await post(client, f"/staff/offers/{offer.id}/next-round", {})

    assert first.status_code == 303
    assert second.status_code == 409
    stored = await db.scalar(
        select(Offer).where(Offer.id == offer.id).execution_options(populate_existing=True)
    )
    assert stored is not None
    assert stored.follow_up is FollowUp.NEXT_ROUND
    unit_status = await db.scalar(select(Unit.status).where(Unit.id == found.world.unit.id))
    assert unit_status is UnitStatus.AVAILABLE
    assert await offer_count(db) == 1


async def test_the_list_filters_the_offers_that_wait_for_a_decision(
    client: Client, db: AsyncSession
) -> None:
    found, declined = await declined_in_a_round(db)
    waiting = await sent_offer(db, found.world, found.next_best)
    await sign_in_as(client, db, found.world.officer)

    everything = await client.get("/staff/offers")
    to_decide = await client.get("/staff/offers?status=to_decide")
    sent = await client.get("/staff/offers?status=sent")

    assert everything.status_code == 200
    assert str(declined.id) in everything.text
    assert str(waiting.id) in everything.text
    assert (str(declined.id) in to_decide.text, str(waiting.id) in to_decide.text) == (True, False)
    assert (str(declined.id) in sent.text, str(waiting.id) in sent.text) == (False, True)


async def test_withdrawing_a_sent_offer_gives_both_back(client: Client, db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.officer)

    page = await client.get(f"/staff/offers/{offer.id}")
    response = await post(client, f"/staff/offers/{offer.id}/withdraw", {})
    again = await post(client, f"/staff/offers/{offer.id}/withdraw", {})

    assert f'action="/staff/offers/{offer.id}/withdraw"' in page.text
    assert response.status_code == 303
    assert again.status_code == 409
    assert await statuses(db, world.unit, world.household) == ("available", "active")


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LANDLORD, Role.HOUSEHOLD])
async def test_other_roles_cannot_use_the_staff_offer_pages(
    client: Client, db: AsyncSession, role: Role
) -> None:
    found, offer = await declined_in_a_round(db)
    user = await add_user(db, role, found.world.agency.id)
    await db.commit()
    await sign_in_as(client, db, user)

    codes = [
        (await client.get("/staff/offers")).status_code,
        (await client.get(f"/staff/offers/{offer.id}")).status_code,
        (await post(client, f"/staff/offers/{offer.id}/next-round", {})).status_code,
        (await post(client, f"/staff/offers/{offer.id}/withdraw", {})).status_code,
        (
            await post(
                client,
                f"/staff/offers/{offer.id}/next-household",
                {"household": str(found.next_best.id), "deadline": "2099-01-01"},
            )
        ).status_code,
    ]

    assert codes == [403] * 5
    assert await offer_count(db) == 1


async def test_another_agencys_offer_is_not_found(client: Client, db: AsyncSession) -> None:
    _found, offer = await declined_in_a_round(db)
    elsewhere = await make_offer_world(db, "Elsewhere")
    await sign_in_as(client, db, elsewhere.officer)

    assert (await client.get(f"/staff/offers/{offer.id}")).status_code == 404
    assert str(offer.id) not in (await client.get("/staff/offers")).text
    response = await post(client, f"/staff/offers/{offer.id}/next-round", {})

    assert response.status_code == 404
    stored = await db.scalar(
        select(Offer.follow_up)
        .where(Offer.id == offer.id)
        .execution_options(populate_existing=True)
    )
    assert stored is None
