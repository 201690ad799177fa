"""A household fills its needs profile section by section, sends it, and what the status allows."""

from __future__ import annotations

from datetime import date

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households.documents import HouseholdDocument
from sra.households.facts import facts_of, facts_to_json
from sra.households.status import HouseholdStatusChange
from sra.register.models import (
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    PreferredArea,
)
from tests.landlord_portal.accounts import Client, count, csrf, post
from tests.sessions import sign_in_as
from tests.sra.register.records import add_agency, add_household_account

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
THIS_YEAR = date.today().year


async def signed_in_household(
    client: Client, db: AsyncSession, status: HouseholdStatus = HouseholdStatus.DRAFT
) -> Household:
    agency = await add_agency(db)
    user, household = await add_household_account(db, agency, status=status)
    await sign_in_as(client, db, user)
    return household


async def upload(
    client: Client, content: bytes, name: str, kind: str = "identity"
) -> httpx.Response:
    token = await csrf(client)
    return await client.post(
        "/tenant/documents",
        data={"_csrf_token": token, "kind": kind},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


async def fill_complete_profile(client: Client) -> None:
    """Everything the application needs besides the first member (an adult, from the factory)."""
    steps = [
        (
            "/tenant/profile/members",
            {"first_name": "Mia", "relation": "child", "birth_year": "2016"},
        ),
        ("/tenant/profile/incomes", {"source": "benefits", "amount": "1250,50"}),
        ("/tenant/profile/incomes", {"source": "child_benefit", "amount": "180"}),
        ("/tenant/profile/needs", {"wheelchair": "yes", "other_needs": "A room for a hoist."}),
        ("/tenant/profile/areas", {"place": "1030"}),
        ("/tenant/profile/areas", {"place": "Ixelles"}),
        ("/tenant/profile/areas/limits", {"max_distance_km": "7,5", "max_rent": "700"}),
        (
            "/tenant/profile/situation",
            {"ethos_category": "9", "eviction_threat": "yes", "eviction_date": "2026-03-31"},
        ),
        ("/tenant/profile/consent", {"consent": "yes"}),
    ]
    for path, data in steps:
        response = await post(client, path, data)
        assert response.status_code == 303, (path, response.text)
    assert (await upload(client, PDF, "passport.pdf")).status_code == 303


async def test_a_household_fills_every_section_and_sends_its_application(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)

    await fill_complete_profile(client)
    before = (await client.get("/tenant/profile")).text
    sent = await post(client, "/tenant/profile/submit", {})

    assert "Your application is complete" in before
    assert sent.status_code == 303
    assert sent.headers["location"] == "/tenant/profile?done=sent"
    await db.refresh(household)
    assert household.status is HouseholdStatus.SUBMITTED
    assert household.submitted_at is not None
    assert household.monthly_income_cents == 125050 + 18000
    assert (household.wheelchair, household.step_free) == (True, True)
    assert household.other_needs == "A room for a hoist."
    assert (household.max_distance_km, household.max_rent_cents) == (7.5, 70000)
    assert household.ethos_category == 9
    assert household.eviction_date == date(2026, 3, 31)
    assert household.consent_given
    assert household.consent_given_at is not None
    areas = (await db.scalars(select(PreferredArea.name).order_by(PreferredArea.name))).all()
    assert areas == ["1030 Schaerbeek", "Ixelles"]
    moves = (await db.scalars(select(HouseholdStatusChange.to_status))).all()
    assert moves == [HouseholdStatus.SUBMITTED]
    actions = set((await db.scalars(select(AuditEntry.action))).all())
    assert {
        "household.members_added",
        "household.incomes_added",
        "household.needs_saved",
    } <= actions
    assert {"household.document_added", "household.consent_saved", "household.status"} <= actions


async def test_sending_an_incomplete_application_lists_what_is_missing_and_changes_nothing(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)
    await post(client, "/tenant/profile/members/" + str(household.members[0].id) + "/delete", {})

    response = await post(client, "/tenant/profile/submit", {})

    assert response.status_code == 400
    for missing in (
        "Add at least one adult",
        "Tell us your income per month",
        "Choose at least one place",
        "Upload at least one identity document",
        "Agree to the use of your data",
    ):
        assert missing in response.text
    await db.refresh(household)
    assert household.status is HouseholdStatus.DRAFT
    assert await count(db, HouseholdStatusChange) == 0


async def test_only_children_is_not_enough_to_send(client: Client, db: AsyncSession) -> None:
    household = await signed_in_household(client, db)
    await fill_complete_profile(client)
    adult = household.members[0]
    response = await post(
        client,
        f"/tenant/profile/members/{adult.id}",
        {"first_name": "Olena", "relation": "child", "birth_year": str(THIS_YEAR - 10)},
    )
    assert response.status_code == 303  # a draft may be incomplete for a while

    sent = await post(client, "/tenant/profile/submit", {})

    assert sent.status_code == 400
    assert "Add at least one adult" in sent.text
    await db.refresh(household)
    assert household.status is HouseholdStatus.DRAFT


async def test_the_home_page_lists_what_is_missing_with_links_to_the_profile(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db)

    page = (await client.get("/tenant")).text

    assert "Still missing in your application" in page
    assert 'href="/tenant/profile/incomes"' in page
    assert 'href="/tenant/documents"' in page
    assert 'href="/tenant/profile"' in page


async def test_while_an_officer_checks_it_the_profile_is_locked_with_a_reason(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db, HouseholdStatus.SUBMITTED)
    member = household.members[0]

    page = await client.get("/tenant/profile/members")
    added = await post(
        client,
        "/tenant/profile/members",
        {"first_name": "Ivan", "relation": "partner", "birth_year": "1984"},
    )
    changed = await post(
        client,
        f"/tenant/profile/members/{member.id}",
        {"first_name": "X", "relation": "other", "birth_year": "1990"},
    )
    income = await post(client, "/tenant/profile/incomes", {"source": "work", "amount": "900"})
    document = await upload(client, PDF, "id.pdf")

    assert "An officer is checking your application" in page.text
    assert "Add a person" not in page.text
    for response in (added, changed, income, document):
        assert response.status_code == 409
        assert "An officer is checking your application" in response.text
    assert await count(db, HouseholdMember) == 1
    assert await count(db, HouseholdIncome) == 0
    assert await count(db, HouseholdDocument) == 0
    await db.refresh(member)
    assert member.first_name == "Olena0"


async def test_a_returned_application_can_be_changed_and_sent_again(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db, HouseholdStatus.RETURNED)
    await fill_complete_profile(client)

    page = (await client.get("/tenant/profile")).text
    sent = await post(client, "/tenant/profile/submit", {})

    assert "Send my application again" in page
    assert sent.status_code == 303
    await db.refresh(household)
    assert household.status is HouseholdStatus.SUBMITTED


async def test_a_verified_household_changes_its_income_and_waits_for_a_new_check(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db, HouseholdStatus.ACTIVE)
    household.verified_facts = facts_to_json(facts_of(household))
    household.urgency = 420
    await db.commit()

    calm = (await client.get("/tenant/profile/incomes")).text
    response = await post(client, "/tenant/profile/incomes", {"source": "work", "amount": "1400"})
    page = (await client.get("/tenant/profile/incomes")).text

    assert "an officer checks it again" in calm
    assert "Your changes are saved" not in calm
    assert response.status_code == 303
    assert "Your changes are saved. An officer will check them again" in page
    await db.refresh(household)
    assert household.monthly_income_cents == 140000
    assert household.urgency == 420  # points keep the verified facts
    assert household.verified_facts is not None
    assert household.verified_facts["monthly_income_cents"] == 0


async def test_a_verified_household_keeps_at_least_one_adult(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db, HouseholdStatus.ACTIVE)
    adult = household.members[0]

    response = await post(client, f"/tenant/profile/members/{adult.id}/delete", {})

    assert response.status_code == 400
    assert "needs at least one adult" in response.text
    assert await count(db, HouseholdMember) == 1


async def test_withdrawing_needs_the_confirmation_and_can_be_undone(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db, HouseholdStatus.ACTIVE)

    confirm_page = await client.get("/tenant/profile/withdraw")
    unconfirmed = await post(client, "/tenant/profile/withdraw", {})
    await db.refresh(household)
    status_after_unconfirmed = household.status
    confirmed = await post(client, "/tenant/profile/withdraw", {"confirm": "yes"})
    await db.refresh(household)
    status_after_confirmed = household.status
    again = await post(client, "/tenant/profile/withdraw", {"confirm": "yes"})
    reopened = await post(client, "/tenant/profile/reopen", {})
    await db.refresh(household)

    assert "we stop looking for a home for you" in confirm_page.text
    assert unconfirmed.status_code == 400
    assert "Please tick the box" in unconfirmed.text
    assert status_after_unconfirmed is HouseholdStatus.ACTIVE
    assert confirmed.status_code == 303
    assert status_after_confirmed is HouseholdStatus.WITHDRAWN
    assert again.status_code == 409
    assert reopened.status_code == 303
    assert household.status is HouseholdStatus.DRAFT


async def test_a_member_and_an_income_can_be_changed_and_removed(
    client: Client, db: AsyncSession
) -> None:
    household = await signed_in_household(client, db)
    await post(client, "/tenant/profile/incomes", {"source": "work", "amount": "900"})
    income = await db.scalar(select(HouseholdIncome))
    assert income is not None
    member = household.members[0]

    form = (await client.get(f"/tenant/profile/incomes/{income.id}")).text
    changed = await post(
        client, f"/tenant/profile/incomes/{income.id}", {"source": "work", "amount": "950.25"}
    )
    renamed = await post(
        client,
        f"/tenant/profile/members/{member.id}",
        {"first_name": "Olena", "relation": "applicant", "birth_year": "1985"},
    )
    await db.refresh(household)
    total_after_change = household.monthly_income_cents
    new_income = await db.scalar(select(HouseholdIncome))
    assert new_income is not None
    removed = await post(client, f"/tenant/profile/incomes/{new_income.id}/delete", {})
    await db.refresh(household)

    assert 'value="900"' in form
    assert (changed.status_code, renamed.status_code, removed.status_code) == (303, 303, 303)
    assert total_after_change == 95025
    assert household.monthly_income_cents == 0
    assert await count(db, HouseholdIncome) == 0
    names = (await db.scalars(select(HouseholdMember.first_name))).all()
    assert names == ["Olena"]


async def test_place_suggestions_come_from_the_gazetteer(client: Client, db: AsyncSession) -> None:
    await signed_in_household(client, db)

    options = (await client.get("/tenant/profile/areas/suggest?place=Schaer")).text

    assert '<option value="1030">1030 Schaerbeek</option>' in options


async def test_a_town_the_gazetteer_does_not_know_offers_close_names(
    client: Client, db: AsyncSession
) -> None:
    await signed_in_household(client, db)

    response = await post(client, "/tenant/profile/areas", {"place": "Anderl"})

    assert response.status_code == 400
    assert "We do not know a town called Anderl" in response.text
    assert 'value="Anderlecht"' in response.text
    assert await count(db, PreferredArea) == 0
    assert (await post(client, "/tenant/profile/areas", {"place": "Anderlecht"})).status_code == 303
