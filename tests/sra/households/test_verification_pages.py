"""Officers' verification pages: who may see and decide, refused input, the whole round trip."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.messages import HouseholdMessage
from sra.households.points_store import current_points
from sra.households.status import HouseholdStatusChange
from sra.households.verification import CHECK_ITEMS, HouseholdVerification
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Household, HouseholdStatus, SupportNeed
from tests.sra.register.intake_world import Client, error_beside, post, signed_in
from tests.sra.register.records import (
    add_agency,
    add_applicant,
    add_household_document,
    add_user,
)

S = HouseholdStatus
ACTIONS = ("request-information", "verify", "reject", "support-need")
ALL_CHECKS = {f"check_{name}": "yes" for name in CHECK_ITEMS}


@dataclass
class Office:
    agency: Agency
    officer: User
    caseworker: User
    tenant: User
    household: Household


async def office(db: AsyncSession, name: str = "Agency") -> Office:
    agency = await add_agency(db, name)
    officer = await add_user(db, Role.ALLOCATION_OFFICER, agency.id)
    caseworker = await add_user(db, Role.CASEWORKER, agency.id)
    tenant = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_applicant(db, agency, f"Olena of {name}", user=tenant)
    await db.commit()
    return Office(agency, officer, caseworker, tenant, household)


async def stored(db: AsyncSession, household: Household) -> tuple[S, int, int, int]:
    """What a refused decision must leave unchanged: status, decisions, moves, messages."""
    await db.refresh(household)

    async def count(model: type[object]) -> int:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)

    return (
        household.status,
        await count(HouseholdVerification),
        await count(HouseholdStatusChange),
        await count(HouseholdMessage),
    )


def action_path(household: Household, action: str) -> str:
    return f"/staff/households/{household.id}/{action}"


async def test_households_landlords_and_other_staff_are_refused_the_verification_pages(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    landlord = await add_user(db, Role.LANDLORD, world.agency.id)
    intake = await add_user(db, Role.INTAKE_OFFICER, world.agency.id)
    pages = ["/staff/households/verification", f"/staff/households/{world.household.id}"]
    for user in (world.tenant, landlord, intake):
        await signed_in(client, db, user)
        for page in pages:
            assert (await client.get(page)).status_code == 403, (user.role, page)
        for action in ACTIONS:
            response = await post(client, action_path(world.household, action), ALL_CHECKS)
            assert response.status_code == 403, (user.role, action)


async def test_a_caseworker_reads_the_household_without_documents_and_may_not_decide(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    file_id = await add_household_document(
        db, world.household, "identity", "passport.jpg", "image/jpeg"
    )
    await db.commit()
    before = await stored(db, world.household)
    await signed_in(client, db, world.caseworker)

    page = await client.get(f"/staff/households/{world.household.id}")

    assert page.status_code == 200
    assert world.household.reference in page.text
    assert str(file_id) not in page.text
    assert "passport.jpg" not in page.text
    assert "/verify" not in page.text
    assert (await client.get("/staff/households/verification")).status_code == 403
    for action in ACTIONS:
        data = ALL_CHECKS | {"note": "No.", "support_need": "intensive"}
        response = await post(client, action_path(world.household, action), data)
        assert response.status_code == 403, action
    assert await stored(db, world.household) == before
    await db.refresh(world.household)
    assert world.household.support_need is SupportNeed.LIGHT


async def test_an_officer_sees_the_documents_inline_through_the_file_route(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    photo = await add_household_document(db, world.household, "identity", "id.png", "image/png")
    pdf = await add_household_document(db, world.household, "income", "pay.pdf", "application/pdf")
    await db.commit()
    await signed_in(client, db, world.officer)

    page = (await client.get(f"/staff/households/{world.household.id}")).text

    assert f'<img src="/files/{photo}"' in page
    assert f'<iframe src="/files/{pdf}?inline=1"' in page
    assert "Proof of income" in page


async def test_another_agencys_household_answers_404_on_every_page_and_action(
    client: Client, db: AsyncSession
) -> None:
    mine = await office(db, "Mine")
    theirs = await office(db, "Theirs")
    before = await stored(db, theirs.household)
    await signed_in(client, db, mine.officer)

    assert (await client.get(f"/staff/households/{theirs.household.id}")).status_code == 404
    for action in ACTIONS:
        data = ALL_CHECKS | {"note": "Why?", "support_need": "regular"}
        response = await post(client, action_path(theirs.household, action), data)
        assert response.status_code == 404, action
    queue = (await client.get("/staff/households/verification")).text
    assert mine.household.reference in queue
    assert theirs.household.reference not in queue
    assert await stored(db, theirs.household) == before


async def test_verify_without_the_checklist_shows_the_error_beside_it_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    before = await stored(db, world.household)
    await signed_in(client, db, world.officer)
    half = dict(list(ALL_CHECKS.items())[:2])

    response = await post(client, action_path(world.household, "verify"), half)

    assert response.status_code == 400
    assert "tick every check" in error_beside(response.text, "checklist")
    assert 'name="check_identity_checked" value="yes" checked' in response.text
    assert await stored(db, world.household) == before


async def test_reject_without_a_reason_shows_the_error_beside_it_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    before = await stored(db, world.household)
    await signed_in(client, db, world.officer)

    response = await post(client, action_path(world.household, "reject"), {"note": "   "})

    assert response.status_code == 400
    assert "reason" in error_beside(response.text, "note")
    assert await stored(db, world.household) == before


async def test_reject_with_a_reason_is_recorded_and_audited(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    await signed_in(client, db, world.officer)

    response = await post(
        client, action_path(world.household, "reject"), {"note": "Not resident in the region."}
    )

    assert response.status_code == 303
    await db.refresh(world.household)
    assert world.household.status is S.REJECTED
    actions = set(await db.scalars(select(AuditEntry.action)))
    assert "household.verification.rejected" in actions


async def test_support_need_is_set_by_the_officer_and_a_bad_value_is_refused(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    await signed_in(client, db, world.officer)
    path = action_path(world.household, "support-need")

    refused = await post(client, path, {"support_need": "enormous"})
    assert refused.status_code == 400
    assert "level of support" in error_beside(refused.text, "support_need")

    assert (await post(client, path, {"support_need": "intensive"})).status_code == 303
    await db.refresh(world.household)
    assert world.household.support_need is SupportNeed.INTENSIVE


async def test_asking_answering_and_verifying_takes_the_household_onto_the_register(
    client: Client, db: AsyncSession
) -> None:
    world = await office(db)
    household = world.household
    question = "Please add the payslip of March."

    await signed_in(client, db, world.officer)
    asked = await post(client, action_path(household, "request-information"), {"note": question})
    assert asked.status_code == 303
    await db.refresh(household)
    assert household.status is S.RETURNED

    await signed_in(client, db, world.tenant)
    inbox = await client.get("/tenant/messages")
    assert question in inbox.text
    answered = await post(client, "/tenant/messages", {"body": "Uploaded with my profile."})
    assert answered.status_code == 303
    await db.refresh(household)
    assert household.status is S.SUBMITTED

    await signed_in(client, db, world.officer)
    queue = (await client.get("/staff/households/verification")).text
    assert household.reference in queue
    assert "Answered our question" in queue
    page = (await client.get(f"/staff/households/{household.id}")).text
    assert question in page
    assert "Uploaded with my profile." in page
    verified = await post(client, action_path(household, "verify"), ALL_CHECKS)
    assert verified.status_code == 303

    await db.refresh(household)
    assert household.status is S.ACTIVE
    assert household.verified_facts is not None
    assert household.verified_facts["children"] == 2
    assert household.verified_by == world.officer.id
    points = await current_points(db, household.id)
    assert points is not None
    assert household.urgency == points.urgency
    assert household.urgency > 0
    assert household.reference not in (await client.get("/staff/households/verification")).text
