"""Verification decisions as a service: what each one stores; a refused one stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households import verification
from sra.households.facts import facts_of, facts_to_json
from sra.households.messages import HouseholdMessage, Sender, answer_agency, messages_of
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.households.points_store import current_points
from sra.households.status import HouseholdStatusChange, history
from sra.households.verification import (
    CHECK_ITEMS,
    HouseholdVerification,
    Outcome,
    VerificationRefused,
)
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import (
    Agency,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberRelation,
    SupportNeed,
)
from tests.sra.register.intake_world import acting
from tests.sra.register.records import add_agency, add_applicant, add_user

S = HouseholdStatus
ALL_TICKED = dict.fromkeys(CHECK_ITEMS, True)


async def loaded(db: AsyncSession, household: Household) -> Household:
    found = await verification.household_for_staff(db, household.agency_id, household.id)
    assert found is not None
    return found


async def count(db: AsyncSession, model: type[object]) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def arrange(db: AsyncSession) -> tuple[Agency, Household, CurrentUser]:
    agency = await add_agency(db)
    officer = acting(await add_user(db, Role.ALLOCATION_OFFICER, agency.id))
    household = await add_applicant(db, agency, "Olena Example")
    await db.commit()
    return agency, await loaded(db, household), officer


async def test_verifying_puts_the_household_on_the_register_with_its_facts_and_points(
    db: AsyncSession,
) -> None:
    _agency, household, officer = await arrange(db)

    await verification.verify(db, household, officer=officer, checklist=ALL_TICKED)
    await db.commit()

    assert household.status is S.ACTIVE
    assert household.verified_facts == facts_to_json(facts_of(household))
    assert household.verified_by == officer.id
    assert household.verified_at is not None
    assert household.renewal_due_on == verification.one_year_after(date.today())
    points = await current_points(db, household.id)
    assert points is not None
    assert household.urgency == points.urgency > 0  # houseless, two children, low income
    (decision,) = await verification.verifications_of(db, household.id)
    assert decision.outcome is Outcome.VERIFIED
    assert decision.checklist == ALL_TICKED
    actions = set(await db.scalars(select(AuditEntry.action)))
    assert {"household.verify", "household.verification.verified", "household.status"} <= actions


@pytest.mark.parametrize("missing", list(CHECK_ITEMS))
async def test_verifying_without_every_check_stores_nothing(db: AsyncSession, missing: str) -> None:
    _agency, household, officer = await arrange(db)
    checklist = ALL_TICKED | {missing: False}

    with pytest.raises(VerificationRefused) as refused:
        await verification.verify(db, household, officer=officer, checklist=checklist)

    assert set(refused.value.errors) == {"checklist"}
    assert household.status is S.SUBMITTED
    assert household.verified_facts is None
    assert await count(db, HouseholdVerification) == 0
    assert await count(db, HouseholdStatusChange) == 0


async def test_a_household_without_consent_cannot_be_verified(db: AsyncSession) -> None:
    _agency, household, officer = await arrange(db)
    household.consent_given = False

    with pytest.raises(VerificationRefused) as refused:
        await verification.verify(db, household, officer=officer, checklist=ALL_TICKED)

    assert "consent" in refused.value.errors["checklist"]


async def test_an_active_household_whose_income_changed_is_verified_again_in_place(
    db: AsyncSession,
) -> None:
    _agency, household, officer = await arrange(db)
    await verification.verify(db, household, officer=officer, checklist=ALL_TICKED)
    household.renewal_due_on = date(2031, 5, 1)
    household.monthly_income_cents = 90000
    await db.commit()
    assert verification.can_verify(household)
    moves = len(await history(db, household.id))

    await verification.verify(db, household, officer=officer, checklist=ALL_TICKED)

    assert household.status is S.ACTIVE
    assert household.verified_facts is not None
    assert household.verified_facts["monthly_income_cents"] == 90000
    assert household.renewal_due_on == date(2031, 5, 1)
    assert len(await history(db, household.id)) == moves
    assert not verification.can_verify(household)


async def test_asking_for_information_returns_the_application_with_the_question(
    db: AsyncSession,
) -> None:
    _agency, household, officer = await arrange(db)
    question = "Please upload your last payslip."

    await verification.request_information(
        db,
        household,
        officer=officer,
        message=question,
        checklist={"identity_checked": True},
    )

    assert household.status is S.RETURNED
    (message,) = await messages_of(db, household.id)
    assert (message.sender, message.body) == (Sender.AGENCY, question)
    assert (await history(db, household.id))[-1].reason == question
    (decision,) = await verification.verifications_of(db, household.id)
    assert decision.outcome is Outcome.RETURNED
    assert decision.note == question


async def test_the_answer_of_the_household_sends_the_application_back(db: AsyncSession) -> None:
    agency, household, officer = await arrange(db)
    tenant = acting(await add_user(db, Role.HOUSEHOLD, agency.id))
    await verification.request_information(
        db, household, officer=officer, message="Payslip?", checklist={}
    )

    await answer_agency(db, household, "Uploaded it today.", actor=tenant)

    assert household.status is S.SUBMITTED
    rows = await verification.verification_queue(db, agency.id)
    assert [(r.household.id, r.answered) for r in rows] == [(household.id, True)]


async def test_an_empty_question_or_reason_is_refused_and_stores_nothing(db: AsyncSession) -> None:
    _agency, household, officer = await arrange(db)

    with pytest.raises(VerificationRefused) as asked:
        await verification.request_information(
            db, household, officer=officer, message="  ", checklist={}
        )
    with pytest.raises(VerificationRefused) as rejected:
        await verification.reject(db, household, officer=officer, reason="", checklist={})

    assert set(asked.value.errors) == set(rejected.value.errors) == {"note"}
    assert household.status is S.SUBMITTED
    assert await count(db, HouseholdMessage) == 0
    assert await count(db, HouseholdVerification) == 0


async def test_rejecting_with_a_reason_tells_the_household_why(db: AsyncSession) -> None:
    _agency, household, officer = await arrange(db)

    await verification.reject(
        db, household, officer=officer, reason="Income above the limit.", checklist={}
    )

    assert household.status is S.REJECTED
    assert (await history(db, household.id))[-1].reason == "Income above the limit."
    with pytest.raises(VerificationRefused):
        await verification.verify(db, household, officer=officer, checklist=ALL_TICKED)


async def test_support_need_change_is_audited(db: AsyncSession) -> None:
    _agency, household, officer = await arrange(db)

    await verification.set_support_need(db, household, SupportNeed.INTENSIVE, officer=officer)

    assert household.high_support
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "household.support_need"))
    assert entry is not None
    assert (entry.before, entry.after) == ({"support_need": "light"}, {"support_need": "intensive"})


async def test_queue_lists_new_applications_oldest_first_then_answers_then_changed_facts(
    db: AsyncSession,
) -> None:
    agency, first, officer = await arrange(db)
    second = await loaded(db, await add_applicant(db, agency, "Marc Example"))
    returned = await loaded(db, await add_applicant(db, agency, "Lina Example"))
    silent = await loaded(db, await add_applicant(db, agency, "Petra Example"))
    changed = await loaded(db, await add_applicant(db, agency, "Sam Example"))
    draft = await add_applicant(db, agency, "Draft Example", status=S.DRAFT)
    for household in (returned, silent):
        await verification.request_information(
            db, household, officer=officer, message="More?", checklist={}
        )
    db.add(HouseholdMessage(household_id=returned.id, sender=Sender.HOUSEHOLD, body="Here it is."))
    await verification.verify(db, changed, officer=officer, checklist=ALL_TICKED)
    changed.members.append(
        HouseholdMember(first_name="New", relation=MemberRelation.CHILD, birth_year=2025)
    )
    second.submitted_at = first.submitted_at.replace(year=2020)  # type: ignore[union-attr]
    await db.commit()

    rows = await verification.verification_queue(db, agency.id)

    assert [r.household.id for r in rows] == [second.id, first.id, returned.id, changed.id]
    assert [(r.answered, r.changed) for r in rows][2:] == [(True, False), (False, True)]
    assert draft.id not in {r.household.id for r in rows}
    other = await add_agency(db, "Other")
    assert await verification.verification_queue(db, other.id) == []


async def test_export_gives_messages_and_decisions_and_erasure_removes_their_text(
    db: AsyncSession,
) -> None:
    _agency, household, officer = await arrange(db)
    await verification.request_information(
        db, household, officer=officer, message="Your ID card, please.", checklist={}
    )

    messages = await EXPORTERS["messages"](db, household)
    decisions = await EXPORTERS["verifications"](db, household)
    assert [(m["from"], m["text"]) for m in messages] == [("agency", "Your ID card, please.")]
    assert [(d["outcome"], d["note"]) for d in decisions] == [("returned", "Your ID card, please.")]

    await ERASERS["messages"](db, household)
    await ERASERS["verification_notes"](db, household)

    assert await messages_of(db, household.id) == []
    (decision,) = await verification.verifications_of(db, household.id)
    assert decision.outcome is Outcome.RETURNED
    assert decision.note is None


def test_renewal_a_year_after_the_29th_of_february_falls_on_the_28th() -> None:
    assert verification.one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert verification.one_year_after(date(2025, 3, 1)) == date(2026, 3, 1)
