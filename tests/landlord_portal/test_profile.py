"""Landlord onboarding: the profile page, its checks, and the first bank account."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.payout_accounts import payout_iban
from sra.audit import AuditEntry
from sra.register.models import Landlord
from tests.landlord_portal.accounts import (
    GOOD_PROFILE,
    IBAN_OTHER,
    IBAN_UNKNOWN_BANK,
    Client,
    add_agency,
    add_landlord_account,
    as_user,
    count,
    error_beside,
    post,
)


async def test_dashboard_asks_a_new_landlord_to_complete_the_profile_until_it_is_done(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, _landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    assert "Please complete your profile first" in (await client.get("/landlord")).text
    response = await post(client, "/landlord/profile", GOOD_PROFILE)
    assert response.status_code == 303, response.text

    assert "Please complete your profile first" not in (await client.get("/landlord")).text


async def test_landlord_saves_the_profile_with_the_first_account_in_force_at_once(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    response = await post(client, "/landlord/profile", GOOD_PROFILE)

    assert response.status_code == 303
    assert response.headers["location"] == "/landlord/profile?done=saved"
    await db.refresh(landlord)
    assert (landlord.name, landlord.street, landlord.postcode, landlord.country) == (
        "Ada Owner",
        "Testlaan 1",
        "1000",
        "BE",
    )
    assert landlord.locale == "nl"
    assert landlord.email == "ada.contact@example.org"
    assert landlord.iban == "BE71096123456769"
    assert landlord.bic == "GKCCBEBB"  # derived from the IBAN's bank code
    assert landlord.consent_given
    assert landlord.consent_given_at is not None
    assert landlord.profile_completed_at is not None
    assert await payout_iban(db, landlord.id) == "BE71096123456769"
    assert await count(db, AuditEntry, AuditEntry.action == "landlord.profile_saved") == 1
    page = (await client.get("/landlord/profile?done=saved")).text
    assert "Your profile is saved." in page
    assert "BE71 0961 2345 6769" in page


BAD_INPUT = [
    ("iban", {"iban": "BE71 0961 2345 6760"}, "not a valid IBAN"),
    ("iban", {"iban": ""}, "Please enter the IBAN"),
    ("bic", {"bic": "XX12"}, "not a valid BIC"),
    ("bic", {"bic": "WBKPPLPP"}, "another country"),
    ("bic", {"iban": IBAN_UNKNOWN_BANK, "bic": ""}, "Please enter the BIC"),
    ("company_number", {"kind": "company", "company_number": "0123456748"}, "enterprise number"),
    ("company_number", {"kind": "company", "company_number": ""}, "registration number"),
    ("consent", {"consent": ""}, "agree"),
    ("kind", {"kind": "agency"}, "private person"),
    ("postcode", {"postcode": "10000"}, "postcode"),
    ("country", {"country": "XX"}, "country"),
    ("email", {"email": "not-an-address"}, "e-mail"),
    ("phone", {"phone": "call me"}, "phone number"),
    ("locale", {"locale": "de"}, "language"),
    ("name", {"name": ""}, "name"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD_INPUT)
async def test_bad_profile_input_shows_the_error_beside_the_field_and_saves_nothing(
    client: Client, db: AsyncSession, field: str, change: dict[str, str], message: str
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    response = await post(client, "/landlord/profile", {**GOOD_PROFILE, **change})

    assert response.status_code == 400
    assert message.lower() in error_beside(response.text, field).lower()
    assert "Nothing was saved" in response.text
    await db.refresh(landlord)
    assert landlord.street is None
    assert landlord.iban is None
    assert landlord.profile_completed_at is None
    assert not landlord.consent_given
    assert await count(db, Landlord) == 1
    assert await count(db, AuditEntry, AuditEntry.action == "landlord.profile_saved") == 0


async def test_the_form_keeps_what_was_typed_when_it_shows_errors(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, _landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    response = await post(client, "/landlord/profile", {**GOOD_PROFILE, "consent": ""})

    assert 'value="Testlaan 1"' in response.text
    assert 'value="BE71 0961 2345 6769"' in response.text


async def test_a_company_gives_a_valid_enterprise_number_stored_compact(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    response = await post(
        client,
        "/landlord/profile",
        {
            **GOOD_PROFILE,
            "kind": "company",
            "name": "Ada Immo SRL",
            "company_number": "BE 0123.456.749",
        },
    )

    assert response.status_code == 303, response.text
    await db.refresh(landlord)
    assert landlord.kind.value == "company"
    assert landlord.company_number == "0123456749"


async def test_saving_the_profile_again_never_changes_the_bank_account(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)
    assert (await post(client, "/landlord/profile", GOOD_PROFILE)).status_code == 303

    page = (await client.get("/landlord/profile")).text
    assert 'name="iban"' not in page  # the account is changed on its own page
    response = await post(
        client, "/landlord/profile", {**GOOD_PROFILE, "iban": IBAN_OTHER, "phone": ""}
    )

    assert response.status_code == 303
    await db.refresh(landlord)
    assert landlord.iban == "BE71096123456769"
    assert landlord.phone is None


async def test_a_landlord_cannot_reach_staff_or_administrator_pages(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user, _landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, user)

    for path in ("/staff/payout-accounts", "/admin/packages", "/admin/packages/new"):
        assert (await client.get(path)).status_code == 403, path


async def test_the_profile_page_needs_a_signed_in_landlord(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)

    response = await client.get("/landlord/profile", follow_redirects=False)

    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/login")
