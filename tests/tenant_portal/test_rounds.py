"""``/tenant/rounds``: a household reads its own outcome of each solved round and asks, once per
round, for a review; nobody else's outcome is reachable."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.reviews import ReviewRequest, ReviewStatus
from sra.audit import AuditEntry
from sra.identity.roles import Role
from sra.register.models import HouseholdStatus
from tests.sra.register.intake_world import Client, error_beside, post, signed_in
from tests.sra.register.records import (
    add_agency,
    add_household_account,
    add_round_outcome,
    add_solved_round,
    add_user,
)

ACTIVE = HouseholdStatus.ACTIVE
NO_FIT = {"occupancy": 2, "max_rent": 1, "wheelchair": 0}


async def count_reviews(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count()).select_from(ReviewRequest))).scalar_one())


async def test_a_household_sees_each_solved_round_it_took_part_in_with_its_reasons(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=ACTIVE)
    spring = await add_solved_round(db, agency, "Spring round")
    summer = await add_solved_round(db, agency, "Summer round", status="closed")
    running = await add_solved_round(db, agency, "Autumn round", status="running")
    await add_round_outcome(db, spring.id, household, "no_eligible_unit", rules=NO_FIT)
    await add_round_outcome(db, summer.id, household, "proposed")
    await add_round_outcome(db, running.id, household, "outcompeted", given_to=[])
    await db.commit()
    await signed_in(client, db, user)

    page = await client.get("/tenant/rounds")

    assert page.status_code == 200
    assert "Spring round" in page.text
    assert "Summer round" in page.text
    assert "Autumn round" not in page.text  # not solved yet: nothing to read
    assert "No flat in this round fitted your household." in page.text
    assert "2 flats were not the right size for your household" in page.text
    assert "1 flat costs more than your maximum rent." in page.text
    assert "The round proposed a flat for your household." in page.text
    assert (await client.get(f"/tenant/rounds/{running.id}")).status_code == 404


async def test_another_households_round_outcome_is_not_found(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=ACTIVE)
    _other_user, other = await add_household_account(db, agency, "Marc Other", status=ACTIVE)
    shared = await add_solved_round(db, agency, "Shared round")
    theirs = await add_solved_round(db, agency, "Their round")
    await add_round_outcome(db, shared.id, household, "outcompeted", given_to=[])
    await add_round_outcome(db, shared.id, other, "no_eligible_unit", rules={"distance": 4})
    await add_round_outcome(db, theirs.id, other, "proposed")
    await db.commit()
    await signed_in(client, db, user)

    mine = await client.get(f"/tenant/rounds/{shared.id}")
    listed = await client.get("/tenant/rounds")

    assert mine.status_code == 200
    assert "Other households came before yours" in mine.text
    assert "too far from the places you chose" not in mine.text  # the other one's reason
    assert "Their round" not in listed.text
    assert (await client.get(f"/tenant/rounds/{theirs.id}")).status_code == 404
    refused = await post(client, f"/tenant/rounds/{theirs.id}/review", {"question": "Why?"})
    assert refused.status_code == 404
    assert await count_reviews(db) == 0


async def test_a_landlord_may_not_open_the_households_round_pages(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    _user, household = await add_household_account(db, agency, status=ACTIVE)
    round_ = await add_solved_round(db, agency)
    await add_round_outcome(db, round_.id, household, "proposed")
    landlord = await add_user(db, Role.LANDLORD, agency.id)
    await db.commit()
    await signed_in(client, db, landlord)

    assert (await client.get("/tenant/rounds")).status_code == 403
    assert (await client.get(f"/tenant/rounds/{round_.id}")).status_code == 403
    asked = await post(client, f"/tenant/rounds/{round_.id}/review", {"question": "Why?"})
    assert asked.status_code == 403
    assert await count_reviews(db) == 0


async def test_asking_for_a_review_stores_the_question_once_and_logs_it(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=ACTIVE)
    round_ = await add_solved_round(db, agency)
    await add_round_outcome(db, round_.id, household, "no_eligible_unit", rules=NO_FIT)
    await db.commit()
    await signed_in(client, db, user)
    path = f"/tenant/rounds/{round_.id}/review"

    asked = await post(client, path, {"question": "  We now have a wheelchair user.  "})
    again = await post(client, path, {"question": "Please look again."})

    assert asked.status_code == 303
    assert asked.headers["location"] == f"/tenant/rounds/{round_.id}"
    assert again.status_code == 409
    assert "You already asked about this round." in again.text
    review = (await db.scalars(select(ReviewRequest))).one()
    assert (review.round_id, review.household_id, review.question, review.status) == (
        round_.id,
        household.id,
        "We now have a wheelchair user.",
        ReviewStatus.OPEN,
    )
    logged = (
        await db.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(review.id)))
    ).one()
    assert (logged.action, logged.actor_id) == ("round.review.asked", user.id)
    assert "question" not in (logged.after or {})  # the text stays out of the log
    page = await client.get(f"/tenant/rounds/{round_.id}")
    assert "We now have a wheelchair user." in page.text
    assert "Not answered yet." in page.text


async def test_an_empty_question_is_refused_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=ACTIVE)
    round_ = await add_solved_round(db, agency)
    await add_round_outcome(db, round_.id, household, "outcompeted", given_to=[])
    await db.commit()
    await signed_in(client, db, user)

    response = await post(client, f"/tenant/rounds/{round_.id}/review", {"question": "   "})
    too_long = await post(client, f"/tenant/rounds/{round_.id}/review", {"question": "x" * 4001})

    assert response.status_code == 400
    assert error_beside(response.text, "question") == "Please write your question for the agency."
    assert too_long.status_code == 400
    assert "at most 4000 characters" in error_beside(too_long.text, "question")
    assert await count_reviews(db) == 0
