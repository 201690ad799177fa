"""``/tenant/offers``: the household reads its offers in its language and answers them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.subleases import Sublease
from matching.offers import DeclineReason, Offer, OfferStatus
from sra.files import FileStore
from sra.identity.roles import Role
from sra.register.photos import add_unit_photo
from sra.settings import Settings
from tests.landlord_portal.listing_steps import image_bytes
from tests.matching.offer_world import (
    add_waiting_household,
    lets_of,
    make_offer_world,
    sent_offer,
    statuses,
)
from tests.sessions import sign_in_as
from tests.sra.register.intake_world import Client, error_beside, post
from tests.sra.register.records import add_user


async def offer_status(db: AsyncSession, offer: Offer) -> OfferStatus | None:
    return await db.scalar(
        select(Offer.status).where(Offer.id == offer.id).execution_options(populate_existing=True)
    )


async def test_the_household_sees_its_offer_with_the_homes_details(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.household_user)

    listing = await client.get("/tenant/offers")
    page = await client.get(f"/tenant/offers/{offer.id}")

    assert listing.status_code == 200
    assert f"/tenant/offers/{offer.id}" in listing.text
    assert page.status_code == 200
    for fact in ("Brussels", "Bedrooms", "64 m²", "Energy label (EPC)", "C", "520.00", "60.00"):
        assert fact in page.text, fact
    assert "580.00" in page.text  # rent and charges together
    assert f'action="/tenant/offers/{offer.id}/accept"' in page.text
    assert 'name="reason"' in page.text
    assert "Declining does not count against you" in page.text


async def test_the_offer_page_is_in_the_households_language(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db, locale="uk")
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.household_user, locale="uk")

    page = await client.get(f"/tenant/offers/{offer.id}")

    assert page.status_code == 200
    assert "Спальні" in page.text  # "Bedrooms"


async def test_accepting_lets_the_home_and_shows_the_draft_sublease(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.household_user)

    response = await post(client, f"/tenant/offers/{offer.id}/accept", {})
    again = await post(client, f"/tenant/offers/{offer.id}/accept", {})

    assert response.status_code == 303
    assert response.headers["location"] == f"/tenant/offers/{offer.id}?done=accepted"
    assert again.status_code == 303  # a double submit answers like the first, and does nothing
    assert await statuses(db, world.unit, world.household) == ("let", "housed")
    assert await lets_of(db, world.unit) == 1
    assert await db.scalar(select(func.count()).select_from(Sublease)) == 1
    page = await client.get(response.headers["location"])
    assert "you have accepted this home" in page.text
    assert "It is a draft" in page.text


async def test_declining_with_a_reason_gives_both_back(client: Client, db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.household_user)

    response = await post(
        client,
        f"/tenant/offers/{offer.id}/decline",
        {"reason": "other", "note": "We move abroad."},
    )

    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "You declined this home" in page.text
    assert "We move abroad." in page.text
    assert await statuses(db, world.unit, world.household) == ("available", "active")
    stored = await db.scalar(
        select(Offer).where(Offer.id == offer.id).execution_options(populate_existing=True)
    )
    assert stored is not None
    assert (stored.status, stored.decline_reason, stored.decline_note) == (
        OfferStatus.DECLINED,
        DeclineReason.OTHER,
        "We move abroad.",
    )


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"reason": "", "note": "no"}, "reason"),
        ({"reason": "too-noisy", "note": ""}, "reason"),
        ({"reason": "other", "note": "   "}, "note"),
    ],
)
async def test_a_bad_decline_shows_the_error_beside_the_field_and_stores_nothing(
    client: Client, db: AsyncSession, form: dict[str, str], field: str
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await sign_in_as(client, db, world.household_user)

    response = await post(client, f"/tenant/offers/{offer.id}/decline", form)

    assert response.status_code == 400
    assert error_beside(response.text, field)
    assert await offer_status(db, offer) is OfferStatus.SENT
    assert await statuses(db, world.unit, world.household) == ("offered", "offered")


async def test_another_households_offer_is_not_found_and_cannot_be_answered(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    other_user, _other = await add_waiting_household(db, world.agency, "Marc Example")
    await db.commit()
    await sign_in_as(client, db, other_user)

    assert (await client.get(f"/tenant/offers/{offer.id}")).status_code == 404
    assert f"/tenant/offers/{offer.id}" not in (await client.get("/tenant/offers")).text
    accept = await post(client, f"/tenant/offers/{offer.id}/accept", {})
    decline = await post(client, f"/tenant/offers/{offer.id}/decline", {"reason": "size"})

    assert (accept.status_code, decline.status_code) == (404, 404)
    assert await offer_status(db, offer) is OfferStatus.SENT


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.ALLOCATION_OFFICER])
async def test_landlords_and_staff_cannot_use_the_households_pages(
    client: Client, db: AsyncSession, role: Role
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    user = world.landlord_user if role is Role.LANDLORD else world.officer
    await sign_in_as(client, db, user)

    assert (await client.get("/tenant/offers")).status_code == 403
    assert (await client.get(f"/tenant/offers/{offer.id}")).status_code == 403
    assert (await post(client, f"/tenant/offers/{offer.id}/accept", {})).status_code == 403


async def test_an_offer_past_its_deadline_cannot_be_accepted_from_an_old_tab(
    client: Client, db: AsyncSession
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    yesterday = date.today() - timedelta(days=1)
    await db.execute(update(Offer).where(Offer.id == offer.id).values(deadline=yesterday))
    await db.commit()
    await sign_in_as(client, db, world.household_user)

    page = await client.get(f"/tenant/offers/{offer.id}")
    response = await post(client, f"/tenant/offers/{offer.id}/accept", {})

    assert "has passed" in page.text
    assert f'action="/tenant/offers/{offer.id}/accept"' not in page.text
    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert await statuses(db, world.unit, world.household) == ("offered", "offered")


async def test_the_offered_household_sees_the_photos_until_it_declines(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await make_offer_world(db)
    photo = await add_unit_photo(
        db,
        FileStore.from_settings(settings),
        world.unit,
        data=image_bytes(),
        filename="room.jpg",
        uploaded_by=None,
    )
    file_id = photo.file_id
    offer = await sent_offer(db, world)
    other_user, _other = await add_waiting_household(db, world.agency, "Marc Example")
    caseworker = await add_user(db, Role.CASEWORKER, world.agency.id)
    await db.commit()

    await sign_in_as(client, db, world.household_user)
    page = await client.get(f"/tenant/offers/{offer.id}")
    seen = (await client.get(f"/files/{file_id}")).status_code
    await sign_in_as(client, db, other_user)
    other_sees = (await client.get(f"/files/{file_id}")).status_code
    await sign_in_as(client, db, caseworker)
    caseworker_sees = (await client.get(f"/files/{file_id}")).status_code
    await sign_in_as(client, db, world.household_user)
    await post(client, f"/tenant/offers/{offer.id}/decline", {"reason": "size"})
    after_decline = (await client.get(f"/files/{file_id}")).status_code

    assert f"/files/{photo.thumbnail_id}" in page.text
    assert (seen, other_sees, caseworker_sees, after_decline) == (200, 404, 404, 404)
