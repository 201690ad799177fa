"""The points scheme pages: the administrator's versions, drafts and activation; the active
scheme for allocation officers and managers; the public rules. Other roles are refused."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.facts import HouseholdFacts, facts_to_json
from sra.households.points import default_rules, rules_to_json
from sra.households.points_store import (
    PointsScheme,
    SchemeStatus,
    create_draft_from,
    ensure_default_scheme,
    schemes_of,
)
from sra.households.points_web import form_values
from sra.identity.roles import Role
from sra.register.models import Agency, Household
from tests.sessions import sign_in_as
from tests.sra.identity.flows import post_form
from tests.sra.register.records import add_agency, add_household, add_user

Client = AsyncTestClient[Litestar]
ADMIN = "/admin/points-scheme"
GOOD = form_values(PointsScheme(name="Standard scheme", rules=rules_to_json(default_rules())))


async def as_role(client: Client, db: AsyncSession, role: Role) -> Agency:
    agency = await add_agency(db)
    await sign_in_as(client, db, await add_user(db, role, agency.id))
    return agency


def error_beside(html: str, name: str) -> str:
    assert re.search(rf'id="f-{name}"[^>]*aria-invalid="true"', html), f"{name} not marked"
    match = re.search(rf'<span class="field-error" id="f-{name}-error">([^<]*)</span>', html)
    assert match, f"no error beside {name}"
    return match[1]


async def draft_of(db: AsyncSession, agency: Agency) -> PointsScheme:
    await ensure_default_scheme(db, agency.id)
    draft = await create_draft_from(db, agency.id, None)
    await db.commit()
    return draft


async def stored(db: AsyncSession, scheme: PointsScheme) -> PointsScheme:
    scheme_id = scheme.id
    db.expire_all()
    fresh = await db.get(PointsScheme, scheme_id)
    assert fresh is not None
    return fresh


async def test_administrator_makes_a_draft_from_the_active_scheme(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    active_rules = (await ensure_default_scheme(db, agency.id)).rules
    await db.commit()

    listing = await client.get(ADMIN)
    response = await post_form(client, f"{ADMIN}/drafts", {})

    assert listing.status_code == 200
    assert "Standard scheme" in listing.text
    assert response.status_code == 303
    agency_id = agency.id
    db.expire_all()
    draft, _old = await schemes_of(db, agency_id)
    assert response.headers["location"] == f"{ADMIN}/{draft.id}/edit"
    assert (draft.version, draft.status, draft.rules) == (2, SchemeStatus.DRAFT, active_rules)
    form = await client.get(response.headers["location"])
    assert 'value="1300.00"' in form.text


async def test_administrator_copies_an_older_version_into_a_draft(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    old = await ensure_default_scheme(db, agency.id)
    old.rules = {**old.rules, "local_tie_points": 7}
    await db.commit()
    old_id, agency_id = old.id, agency.id

    copied = await post_form(client, f"{ADMIN}/drafts", {"base": str(old_id)}, page=ADMIN)
    unknown = await post_form(client, f"{ADMIN}/drafts", {"base": "not-an-id"})

    assert copied.status_code == 303
    assert unknown.status_code == 404
    db.expire_all()
    versions = await schemes_of(db, agency_id)
    assert [(s.version, s.scheme_rules.local_tie_points) for s in versions] == [(2, 7), (1, 7)]


async def test_administrator_saves_a_draft_and_activates_it_recomputing_households(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    draft = await draft_of(db, agency)
    household = await add_household(db, agency, "Rita Example")
    household.verified_facts = facts_to_json(
        HouseholdFacts(adults=1, children=0, monthly_income_cents=500000, local_tie=True)
    )
    await db.commit()

    saved = await post_form(
        client, f"{ADMIN}/{draft.id}/edit", {**GOOD, "name": "2026", "local_tie_points": "50"}
    )
    confirm = await client.get(f"{ADMIN}/{draft.id}/activate")
    activated = await post_form(client, f"{ADMIN}/{draft.id}/activate", {})

    assert saved.status_code == 303
    assert "recomputes the points of 1 verified household" in confirm.text
    assert activated.status_code == 303
    assert activated.headers["location"] == f"{ADMIN}?done=activated&count=1"
    household_id = household.id
    fresh = await stored(db, draft)
    assert (fresh.name, fresh.status, fresh.scheme_rules.local_tie_points) == (
        "2026",
        SchemeStatus.ACTIVE,
        50,
    )
    refreshed = await db.get(Household, household_id)
    assert refreshed is not None
    assert refreshed.urgency == 236  # 50 of 212
    notice = await client.get(activated.headers["location"])
    assert "The points of 1 household were recomputed." in notice.text


BAD_INPUT = [
    ({"eviction_points": "ten"}, "eviction_points", "whole number"),
    ({"eviction_points": "-5"}, "eviction_points", "cannot be negative"),
    ({"first_adult_percent": "0"}, "first_adult_percent", "from 1 to 1000"),
    ({"reference_income": "lots"}, "reference_income", "monthly amount"),
    ({"reference_income": "0"}, "reference_income", "above zero"),
    ({"band_2_up_to": "90"}, "band_2_up_to", "above the limit of the band before"),
    ({"band_2_points": "30"}, "band_2_points", "cannot give more points"),
    ({"band_5_up_to": "300"}, "band_5_points", "Fill in both"),
    ({"ethos_roofless": "5"}, "ethos_roofless", "more severe situation"),
    ({"rent_burden_percent": "150"}, "rent_burden_percent", "from 1 to 100"),
    ({"name": ""}, "name", "name"),
]


@pytest.mark.parametrize(("changes", "name", "message"), BAD_INPUT)
async def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession, changes: dict[str, str], name: str, message: str
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    draft = await draft_of(db, agency)

    response = await post_form(client, f"{ADMIN}/{draft.id}/edit", {**GOOD, **changes})

    assert response.status_code == 400
    assert message in error_beside(response.text, name)
    assert "Nothing was saved" in response.text
    fresh = await stored(db, draft)
    assert fresh.rules == rules_to_json(default_rules())


async def test_an_active_or_retired_version_cannot_be_edited(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    active = await ensure_default_scheme(db, agency.id)
    await db.commit()

    form = await client.get(f"{ADMIN}/{active.id}/edit", follow_redirects=False)
    post = await post_form(client, f"{ADMIN}/{active.id}/edit", {**GOOD, "eviction_points": "1"})
    again = await post_form(client, f"{ADMIN}/{active.id}/activate", {})

    assert form.status_code == post.status_code == again.status_code == 303
    assert (await stored(db, active)).scheme_rules == default_rules()


async def test_another_agencys_scheme_is_not_found(client: Client, db: AsyncSession) -> None:
    await as_role(client, db, Role.ADMINISTRATOR)
    other = await draft_of(db, await add_agency(db, "Other agency"))

    for path in (f"{ADMIN}/{other.id}", f"{ADMIN}/{other.id}/edit"):
        assert (await client.get(path)).status_code == 404
    assert (
        await post_form(client, f"{ADMIN}/{other.id}/activate", {}, page=ADMIN)
    ).status_code == 404
    assert (await stored(db, other)).status is SchemeStatus.DRAFT


@pytest.mark.parametrize(
    "role",
    [Role.CASEWORKER, Role.ALLOCATION_OFFICER, Role.MANAGER, Role.LANDLORD, Role.HOUSEHOLD],
)
async def test_only_the_administrator_reaches_the_scheme_admin_pages(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await as_role(client, db, role)
    draft = await draft_of(db, agency)

    gets = [
        ADMIN,
        f"{ADMIN}/{draft.id}",
        f"{ADMIN}/{draft.id}/edit",
        f"{ADMIN}/{draft.id}/activate",
    ]
    posts = [f"{ADMIN}/drafts", f"{ADMIN}/{draft.id}/edit", f"{ADMIN}/{draft.id}/activate"]

    for path in gets:
        assert (await client.get(path)).status_code == 403, path
    for path in posts:
        response = await post_form(client, path, {**GOOD, "eviction_points": "99"}, page="/")
        assert response.status_code == 403, path
    agency_id = agency.id
    fresh = await stored(db, draft)
    assert (fresh.status, fresh.rules) == (SchemeStatus.DRAFT, rules_to_json(default_rules()))
    assert len(await schemes_of(db, agency_id)) == 2


@pytest.mark.parametrize("role", [Role.ALLOCATION_OFFICER, Role.MANAGER])
async def test_allocation_officers_and_managers_read_the_active_scheme(
    client: Client, db: AsyncSession, role: Role
) -> None:
    agency = await as_role(client, db, role)
    await ensure_default_scheme(db, agency.id)
    await db.commit()

    page = await client.get("/staff/points-scheme")

    assert page.status_code == 200
    assert "You are threatened with eviction" in page.text
    assert "/admin/points-scheme/" not in page.text


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LANDLORD, Role.HOUSEHOLD])
async def test_other_roles_do_not_reach_the_staff_scheme_page(
    client: Client, db: AsyncSession, role: Role
) -> None:
    await as_role(client, db, role)

    assert (await client.get("/staff/points-scheme")).status_code == 403


async def test_the_rules_are_public_without_signing_in(client: Client, db: AsyncSession) -> None:
    agency = await add_agency(db)
    await ensure_default_scheme(db, agency.id)
    await db.commit()

    page = await client.get("/points-rules")

    assert page.status_code == 200
    assert "Allocation rules are public" in page.text
    assert "€1,300.00" in page.text
    assert "up to 100 % of the reference income for your household" in page.text
    assert "the most points this scheme can give" in page.text


async def test_the_public_page_says_when_no_scheme_is_published(
    client: Client, db: AsyncSession
) -> None:
    await add_agency(db)
    await db.commit()

    page = await client.get("/points-rules")

    assert page.status_code == 200
    assert "has not published its points scheme yet" in page.text


async def test_the_scheme_form_cannot_set_a_households_points(
    client: Client, db: AsyncSession
) -> None:
    agency = await as_role(client, db, Role.ADMINISTRATOR)
    draft = await draft_of(db, agency)
    household = await add_household(db, agency, "Pia Example")
    await db.commit()

    await post_form(
        client,
        f"{ADMIN}/{draft.id}/edit",
        {**GOOD, "urgency": "1000", "household_id": str(household.id), "raw_total": "99"},
    )

    household_id = household.id
    db.expire_all()
    assert (await db.scalar(select(Household.urgency).where(Household.id == household_id))) == 0
