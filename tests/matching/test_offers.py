"""Offers: sent by a person, accepted once, declined with a reason, expired by a job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import matching.offer_privacy  # noqa: F401  (registers the offers' export and erasure)
from contracts import leases
from contracts.subleases import Sublease, SubleaseStatus
from matching import offers
from matching.offer_expiry import expire_offers
from matching.offer_policy import OfferPolicy
from matching.offers import DeclineReason, Offer, OfferClosed, OfferError, OfferStatus
from sra.audit import AuditEntry
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.identity.current import acting_as
from sra.notifications import Notification
from sra.register.models import UnitStatus
from sra.register.unit_status import TransitionNotAllowed, move_unit
from sra.settings import Settings
from tests.matching.offer_world import (
    CHARGES,
    RENT,
    add_waiting_household,
    lets_of,
    make_offer_world,
    sent_offer,
    statuses,
)
from tests.sra.identity.flows import body, deliver_mail


async def count(db: AsyncSession, model: type[object]) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_sending_offers_the_unit_and_tells_the_household_with_a_link(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    world = await make_offer_world(db, locale="fr")
    offer = await offers.send_offer(
        db,
        unit_id=world.unit.id,
        household_id=world.household.id,
        officer=acting_as(world.officer),
        deadline=date.today() + timedelta(days=7),
        settings=settings,
    )
    await db.commit()

    assert await statuses(db, world.unit, world.household) == ("offered", "offered")
    assert (offer.status, offer.rent_cents, offer.charges_cents) == (
        OfferStatus.SENT,
        RENT,
        CHARGES,
    )
    links = await db.scalars(
        select(Notification.link).where(Notification.user_id == world.household_user.id)
    )
    assert f"/tenant/offers/{offer.id}" in set(links)
    mails = [
        m for m in await deliver_mail(engine, settings) if m["To"] == world.household_user.email
    ]
    offer_mail = [m for m in mails if f"/tenant/offers/{offer.id}" in body(m)]
    assert len(offer_mail) == 1
    # The household's language: the greeting the catalogs translate is French.
    assert "Bonjour" in body(offer_mail[0])
    assert settings.base_url.rstrip("/") + f"/tenant/offers/{offer.id}" in body(offer_mail[0])
    actions = set(await db.scalars(select(AuditEntry.action)))
    assert "offer.sent" in actions


async def test_full_cycle_accept_lets_the_unit_houses_the_household_and_drafts_the_sublease(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)

    assert await offers.accept(db, offer, actor=acting_as(world.household_user)) is True
    await db.commit()

    assert offer.status is OfferStatus.ACCEPTED
    assert offer.answered_at is not None
    assert await statuses(db, world.unit, world.household) == ("let", "housed")
    sublease = await db.scalar(select(Sublease).where(Sublease.offer_id == offer.id))
    assert sublease is not None
    assert (sublease.status, sublease.rent_cents, sublease.charges_cents) == (
        SubleaseStatus.DRAFT,
        RENT,
        CHARGES,
    )
    assert (sublease.unit_id, sublease.household_id, sublease.agency_id) == (
        world.unit.id,
        world.household.id,
        world.agency.id,
    )
    assert "offer.accepted" in set(await db.scalars(select(AuditEntry.action)))


async def test_a_second_accept_changes_nothing(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    assert await offers.accept(db, offer, actor=acting_as(world.household_user))
    await db.commit()

    assert await offers.accept(db, offer, actor=acting_as(world.household_user)) is False
    await db.commit()

    assert await lets_of(db, world.unit) == 1
    assert await count(db, Sublease) == 1


async def test_decline_returns_both_and_keeps_the_reason_without_penalty(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)

    await offers.decline(
        db,
        offer,
        reason="location",
        note=" far from school ",
        actor=acting_as(world.household_user),
    )
    await db.commit()

    assert await statuses(db, world.unit, world.household) == ("available", "active")
    assert (offer.status, offer.decline_reason, offer.decline_note, offer.penalty_rounds) == (
        OfferStatus.DECLINED,
        DeclineReason.LOCATION,
        "far from school",
        0,
    )
    assert offer.awaits_follow_up
    assert await count(db, Sublease) == 0


async def test_the_agencys_penalty_is_kept_on_the_declined_offer(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    db.add(OfferPolicy(agency_id=world.agency.id, decline_penalty_rounds=2))
    offer = await sent_offer(db, world)

    await offers.decline(db, offer, reason="size", note="", actor=None)
    await db.commit()

    assert offer.penalty_rounds == 2


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("", "", "reason"),
        ("too-noisy", "", "reason"),
        ("other", "  ", "note"),
        ("size", "x" * 1001, "note"),
    ],
)
async def test_a_bad_decline_is_refused_and_changes_nothing(
    db: AsyncSession, reason: str, note: str, field: str
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)

    assert field in offers.decline_problems(reason, note)
    with pytest.raises(OfferError):
        await offers.decline(db, offer, reason=reason, note=note, actor=None)
    await db.rollback()

    await db.refresh(offer)
    assert offer.status is OfferStatus.SENT
    assert await statuses(db, world.unit, world.household) == ("offered", "offered")


async def test_expiry_job_run_twice_changes_nothing_the_second_time(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world, days=3)
    later = date.today() + timedelta(days=4)

    assert await expire_offers(db, date.today() + timedelta(days=3)) == 0  # the deadline day
    assert await expire_offers(db, later) == 1
    await db.commit()
    entries = await count(db, AuditEntry)
    notices = await count(db, Notification)

    assert await expire_offers(db, later) == 0
    await db.commit()

    await db.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED
    assert await statuses(db, world.unit, world.household) == ("available", "active")
    assert (await count(db, AuditEntry), await count(db, Notification)) == (entries, notices)


async def test_an_offer_past_its_deadline_cannot_be_accepted(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world, days=1)

    with pytest.raises(OfferClosed):
        await offers.accept(db, offer, actor=None, today=date.today() + timedelta(days=2))
    await db.rollback()

    assert await statuses(db, world.unit, world.household) == ("offered", "offered")


async def test_a_declined_offer_cannot_be_accepted_afterwards(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await offers.decline(db, offer, reason="cost", note="", actor=None)
    await db.commit()

    with pytest.raises(OfferClosed):
        await offers.accept(db, offer, actor=None)
    await db.rollback()

    assert await statuses(db, world.unit, world.household) == ("available", "active")
    assert await count(db, Sublease) == 0


async def test_a_unit_no_longer_offered_is_not_let_and_nothing_is_kept(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await move_unit(db, world.unit, UnitStatus.WITHDRAWN, actor=acting_as(world.officer))
    await db.commit()

    with pytest.raises(TransitionNotAllowed):
        await offers.accept(db, offer, actor=acting_as(world.household_user))
    await db.rollback()

    await db.refresh(offer)
    assert offer.status is OfferStatus.SENT
    assert await lets_of(db, world.unit) == 0
    assert await count(db, Sublease) == 0


async def test_an_offered_unit_cannot_be_offered_to_a_second_household(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)
    await sent_offer(db, world)
    _user, other = await add_waiting_household(db, world.agency, "Marc Example")
    await db.commit()

    with pytest.raises(TransitionNotAllowed):
        await sent_offer(db, world, other)
    await db.rollback()

    assert await count(db, Offer) == 1


async def test_the_deadline_must_be_after_today_and_the_unit_needs_a_tenant_rent(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)
    with pytest.raises(OfferError):
        await sent_offer(db, world, days=0)
    await db.rollback()
    world.unit.tenant_rent_cents = None
    await db.commit()
    with pytest.raises(OfferError):
        await sent_offer(db, world)
    await db.rollback()

    assert await count(db, Offer) == 0
    assert await statuses(db, world.unit, world.household) == ("available", "active")


async def test_an_officer_cannot_offer_another_agencys_unit(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    elsewhere = await make_offer_world(db, "Elsewhere")

    with pytest.raises(OfferError):
        await offers.send_offer(
            db,
            unit_id=elsewhere.unit.id,
            household_id=world.household.id,
            officer=acting_as(world.officer),
            deadline=date.today() + timedelta(days=7),
        )
    await db.rollback()

    assert await count(db, Offer) == 0


async def test_draft_sublease_through_the_leases_module_is_made_once_per_offer(
    db: AsyncSession,
) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    assert await offers.accept(db, offer, actor=None)

    again = await leases.create_draft_sublease(db, world.unit.id, world.household.id, offer.id)
    await db.commit()

    assert again.offer_id == offer.id
    assert await count(db, Sublease) == 1


async def test_the_households_offers_are_exported_and_its_words_erased(db: AsyncSession) -> None:
    world = await make_offer_world(db)
    offer = await sent_offer(db, world)
    await offers.decline(db, offer, reason="other", note="My son's school", actor=None)
    await db.commit()

    exported = await EXPORTERS["offers"](db, world.household)
    await ERASERS["offers"](db, world.household)
    await db.commit()

    assert [(o["status"], o["decline_note"]) for o in exported] == [("declined", "My son's school")]
    await db.refresh(offer)
    assert (offer.status, offer.decline_reason, offer.decline_note) == (
        OfferStatus.DECLINED,
        DeclineReason.OTHER,
        None,
    )
    logged = await db.scalars(select(AuditEntry.after).where(AuditEntry.entity == "offer"))
    assert all("My son's school" not in str(after) for after in logged)
