"""``/tenant/messages``: a household reads the agency's questions and answers them, its own only."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.messages import HouseholdMessage, Sender, messages_of, send_to_household
from sra.households.status import move_household
from sra.identity.models import User
from sra.identity.roles import Role
from sra.notifications import Notification
from sra.register.models import Agency, Household, HouseholdStatus
from tests.sra.register.intake_world import Client, acting, error_beside, post, signed_in
from tests.sra.register.records import add_agency, add_applicant, add_user

S = HouseholdStatus


async def applicant(
    db: AsyncSession, agency: Agency, name: str, question: str
) -> tuple[User, Household, HouseholdMessage]:
    """A household whose application the agency returned with ``question``."""
    officer = acting(await add_user(db, Role.ALLOCATION_OFFICER, agency.id))
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_applicant(db, agency, name, user=user)
    message = await send_to_household(
        db, household, question, officer=officer, notify_household=False
    )
    await move_household(db, household, S.RETURNED, actor=officer, reason=question)
    await db.commit()
    return user, household, message


async def test_a_household_reads_only_its_own_messages(client: Client, db: AsyncSession) -> None:
    agency = await add_agency(db)
    user, _household, mine = await applicant(db, agency, "Olena Example", "Your ID card?")
    _other, _theirs, theirs = await applicant(db, agency, "Marc Example", "Your payslip?")
    await signed_in(client, db, user)

    page = await client.get("/tenant/messages")

    assert page.status_code == 200
    assert "Your ID card?" in page.text
    assert "Your payslip?" not in page.text
    assert (await client.get(f"/tenant/messages/{mine.id}")).status_code == 200
    assert (await client.get(f"/tenant/messages/{theirs.id}")).status_code == 404


async def test_answering_a_returned_application_sends_it_back_to_the_agency(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household, _asked = await applicant(db, agency, "Olena Example", "Your ID card?")
    await signed_in(client, db, user)

    response = await post(client, "/tenant/messages", {"body": "  Uploaded it just now.  "})

    assert response.status_code == 303
    await db.refresh(household)
    assert household.status is S.SUBMITTED
    answer = (await messages_of(db, household.id))[-1]
    assert (answer.sender, answer.body, answer.author_id) == (
        Sender.HOUSEHOLD,
        "Uploaded it just now.",
        user.id,
    )


async def test_an_active_household_can_write_without_its_status_changing(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_applicant(db, agency, "Lina Example", user=user, status=S.ACTIVE)
    await db.commit()
    await signed_in(client, db, user)

    assert (await post(client, "/tenant/messages", {"body": "We moved."})).status_code == 303

    await db.refresh(household)
    assert household.status is S.ACTIVE
    assert [m.body for m in await messages_of(db, household.id)] == ["We moved."]


async def test_an_empty_or_too_long_answer_is_refused_beside_the_field_and_not_stored(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, household, _asked = await applicant(db, agency, "Olena Example", "Your ID card?")
    await signed_in(client, db, user)

    empty = await post(client, "/tenant/messages", {"body": "   "})
    long = await post(client, "/tenant/messages", {"body": "x" * 4001})

    assert empty.status_code == long.status_code == 400
    assert "write the message" in error_beside(empty.text, "body")
    assert "4000" in error_beside(long.text, "body")
    await db.refresh(household)
    assert household.status is S.RETURNED
    assert len(await messages_of(db, household.id)) == 1


async def test_staff_and_landlords_are_refused_the_household_messages(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    _user, _household, message = await applicant(db, agency, "Olena Example", "Your ID?")
    for role in (Role.LANDLORD, Role.ALLOCATION_OFFICER, Role.CASEWORKER):
        await signed_in(client, db, await add_user(db, role, agency.id))
        assert (await client.get("/tenant/messages")).status_code == 403, role
        assert (await client.get(f"/tenant/messages/{message.id}")).status_code == 403, role
        response = await post(client, "/tenant/messages", {"body": "Hello"})
        assert response.status_code == 403, role


async def test_a_household_account_without_an_application_has_nothing_to_answer(
    client: Client, db: AsyncSession
) -> None:
    await signed_in(client, db, await add_user(db, Role.HOUSEHOLD))

    assert "not linked to an application" in (await client.get("/tenant/messages")).text
    assert (await post(client, "/tenant/messages", {"body": "Hello"})).status_code == 404
    assert await db.scalar(select(func.count()).select_from(HouseholdMessage)) == 0


async def test_a_message_to_an_active_household_is_notified_with_a_link_to_the_inbox(
    db: AsyncSession,
) -> None:
    agency = await add_agency(db)
    officer = acting(await add_user(db, Role.ALLOCATION_OFFICER, agency.id))
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_applicant(db, agency, "Sam Example", user=user, status=S.ACTIVE)

    await send_to_household(db, household, "Please confirm your new address.", officer=officer)

    notice = await db.scalar(select(Notification).where(Notification.user_id == user.id))
    assert notice is not None
    assert notice.link == "/tenant/messages"
