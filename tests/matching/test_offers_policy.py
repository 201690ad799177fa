"""The agency's offer settings: no penalty by default; an administrator may set one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offer_policy import OfferPolicy, policy_of
from sra.identity.roles import Role
from tests.matching.offer_world import make_offer_world, sent_offer
from tests.sessions import sign_in_as
from tests.sra.register.intake_world import Client, error_beside, post
from tests.sra.register.records import add_user


async def test_without_settings_declining_is_free_and_offers_last_a_week(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)

    policy = await policy_of(db, world.agency.id)

    assert (policy.decline_penalty_rounds, policy.default_deadline_days) == (0, 7)


async def test_the_administrator_sets_a_penalty_that_households_read_before_answering(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    admin = await add_user(db, Role.ADMINISTRATOR, world.agency.id)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, admin)

    response = await post(
        client,
        "/admin/offers/policy",
        {"decline_penalty_rounds": "2", "default_deadline_days": "10"},
    )
    await sign_in_as(client, db, world.household_user)
    page = await client.get(f"/tenant/offers/{offer.id}")

    assert response.status_code == 303
    policy = await policy_of(db, world.agency.id)
    assert (policy.decline_penalty_rounds, policy.default_deadline_days) == (2, 10)
    assert "you will not take part in the next 2 allocation rounds" in page.text


async def test_bad_settings_show_errors_beside_the_fields_and_store_nothing(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    admin = await add_user(db, Role.ADMINISTRATOR, world.agency.id)
    await db.commit()
    await sign_in_as(client, db, admin)

    response = await post(
        client,
        "/admin/offers/policy",
        {"decline_penalty_rounds": "11", "default_deadline_days": "a week"},
    )

    assert response.status_code == 400
    assert error_beside(response.text, "decline_penalty_rounds")
    assert error_beside(response.text, "default_deadline_days")
    assert await db.scalar(select(func.count()).select_from(OfferPolicy)) == 0


@pytest.mark.parametrize("role", [Role.ALLOCATION_OFFICER, Role.HOUSEHOLD, Role.LANDLORD])
async def test_only_administrators_change_the_offer_settings(
    client: Client, db: AsyncSession, role: Role
) -> None:
    world = await make_offer_world(db)
    user = await add_user(db, role, world.agency.id)
    await db.commit()
    await sign_in_as(client, db, user)

    form = {"decline_penalty_rounds": "3", "default_deadline_days": "7"}
    codes = (
        (await client.get("/admin/offers/policy")).status_code,
        (await post(client, "/admin/offers/policy", form)).status_code,
    )

    assert codes == (403, 403)
    assert await db.scalar(select(func.count()).select_from(OfferPolicy)) == 0
