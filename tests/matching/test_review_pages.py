"""``/staff/reviews``: allocation officers answer their agency's review requests; the household
is notified and reads the answer; other agencies' requests and other roles stay out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.reviews import ReviewRequest, ReviewStatus, ask_for_review
from matching.rounds import AllocationRound
from sra.audit import AuditEntry
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.identity.current import acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.notifications import Notification
from sra.register.models import Agency, Household, HouseholdStatus
from tests.sra.register.intake_world import Client, post, signed_in
from tests.sra.register.records import (
    add_agency,
    add_household_account,
    add_round_outcome,
    add_solved_round,
    add_user,
)


@dataclass
class Asked:
    agency: Agency
    officer: User
    household_user: User
    round: AllocationRound
    review: ReviewRequest


async def asked(db: AsyncSession, name: str = "Agency", question: str = "Why not us?") -> Asked:
    """An agency whose household was outcompeted in a round and asked for a review."""
    agency = await add_agency(db, name)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    user, household = await add_household_account(
        db, agency, f"Olena of {name}", status=HouseholdStatus.ACTIVE
    )
    round_ = await add_solved_round(db, agency, f"Round of {name}")
    row = await add_round_outcome(
        db, round_.id, household, "no_eligible_unit", rules={"occupancy": 3}
    )
    review = await ask_for_review(db, row, question, actor=acting_as(user))
    await db.commit()
    return Asked(agency, officer, user, round_, review)


def answer_error(html: str, review: ReviewRequest) -> str:
    field = f"f-answer-{review.id}"
    found = re.search(rf'<span class="field-error" id="{field}-error">([^<]*)</span>', html)
    assert found, "no error beside the answer"
    assert f'aria-describedby="{field}-error"' in html
    return found.group(1)


async def test_the_queue_shows_the_agencys_open_requests_with_the_households_reasons(
    client: Client, db: AsyncSession
) -> None:
    ours = await asked(db, "Agency", "We have a new baby.")
    await asked(db, "Other agency", "Question of another agency.")
    await signed_in(client, db, ours.officer)

    page = await client.get("/staff/reviews")

    assert page.status_code == 200
    assert "We have a new baby." in page.text
    assert "Olena of Agency" in page.text
    assert "3 flats were not the right size for your household" in page.text
    assert "Question of another agency." not in page.text


async def test_an_answer_is_recorded_and_the_household_is_notified_and_reads_it(
    client: Client, db: AsyncSession
) -> None:
    world = await asked(db)
    await signed_in(client, db, world.officer)

    response = await post(
        client,
        f"/staff/reviews/{world.review.id}/answer",
        {"answer": " Your household now counts four people: next round. "},
    )

    assert response.status_code == 303
    await db.refresh(world.review)
    assert world.review.status is ReviewStatus.ANSWERED
    assert world.review.answer == "Your household now counts four people: next round."
    assert world.review.answered_by == world.officer.id
    assert world.review.answered_at is not None
    notice = (await db.scalars(select(Notification))).one()
    assert notice.user_id == world.household_user.id
    assert notice.link == f"/tenant/rounds/{world.round.id}"
    actions = await db.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == str(world.review.id))
    )
    assert set(actions) == {"round.review.asked", "round.review.answered"}
    queue = await client.get("/staff/reviews")
    assert "No request is waiting for an answer." in queue.text
    await signed_in(client, db, world.household_user)
    page = await client.get(f"/tenant/rounds/{world.round.id}")
    assert "Your household now counts four people: next round." in page.text


async def test_an_empty_answer_is_refused_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession
) -> None:
    world = await asked(db)
    await signed_in(client, db, world.officer)

    response = await post(client, f"/staff/reviews/{world.review.id}/answer", {"answer": "  "})

    assert response.status_code == 400
    assert answer_error(response.text, world.review) == "Please write the answer for the household."
    await db.refresh(world.review)
    assert (world.review.status, world.review.answer) == (ReviewStatus.OPEN, None)
    assert list(await db.scalars(select(Notification))) == []


async def test_a_request_is_answered_only_once(client: Client, db: AsyncSession) -> None:
    world = await asked(db)
    await signed_in(client, db, world.officer)
    path = f"/staff/reviews/{world.review.id}/answer"

    first = await post(client, path, {"answer": "First answer."})
    second = await post(client, path, {"answer": "Second answer."})

    assert first.status_code == 303
    assert second.status_code == 409
    await db.refresh(world.review)
    assert world.review.answer == "First answer."
    assert len(list(await db.scalars(select(Notification)))) == 1


async def test_another_agencys_request_is_not_found(client: Client, db: AsyncSession) -> None:
    ours = await asked(db, "Agency")
    theirs = await asked(db, "Other agency")
    await signed_in(client, db, ours.officer)

    response = await post(client, f"/staff/reviews/{theirs.review.id}/answer", {"answer": "No."})

    assert response.status_code == 404
    await db.refresh(theirs.review)
    assert theirs.review.status is ReviewStatus.OPEN


async def test_only_allocation_officers_open_the_queue(client: Client, db: AsyncSession) -> None:
    world = await asked(db)
    for role in (Role.CASEWORKER, Role.LANDLORD, Role.HOUSEHOLD, Role.INTAKE_OFFICER):
        user = await add_user(db, role, world.agency.id)
        await db.commit()
        await signed_in(client, db, user)

        assert (await client.get("/staff/reviews")).status_code == 403, role
        answered = await post(
            client, f"/staff/reviews/{world.review.id}/answer", {"answer": "Yes."}
        )
        assert answered.status_code == 403, role
    await db.refresh(world.review)
    assert world.review.status is ReviewStatus.OPEN


async def test_the_households_export_holds_its_question_and_erasure_blanks_the_texts(
    db: AsyncSession,
) -> None:
    world = await asked(db, question="Is our new address counted?")
    household = await db.get(Household, world.review.household_id)
    assert household is not None

    exported = await EXPORTERS["round_reviews"](db, household)
    await ERASERS["round_reviews"](db, household)
    await db.refresh(world.review)

    assert [(e["round"], e["question"], e["status"]) for e in exported] == [
        ("Round of Agency", "Is our new address counted?", "open")
    ]
    assert (world.review.question, world.review.answer) == ("", None)
