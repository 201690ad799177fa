"""Notifications: a portal list in the reader's language, an e-mail in the recipient's language."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.i18n import use_locale
from sra.identity.roles import Role
from sra.notifications import Notification, notify, render, unread_count
from sra.settings import Settings
from tests.sessions import sign_in_as
from tests.sra.identity.flows import Client, body, deliver_mail, post_form
from tests.sra.register.records import add_agency, add_user

# A message the catalogs already translate, so the language of the e-mail is visible.
TRANSLATED = "Choose a new password"


def test_a_message_is_translated_then_filled_in() -> None:
    with use_locale("fr"):
        assert render("Hello {name},", {"name": "Ada"}) == "Bonjour Ada,"
    assert render("Hello {name},", {"name": "Ada"}) == "Hello Ada,"


async def test_notify_adds_a_row_and_mails_the_user_in_their_language(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.LANDLORD, agency.id)
    user.locale = "fr"
    user_id, address = user.id, user.email

    await notify(db, user_id=user_id, message=TRANSLATED, link="/landlord", settings=settings)
    await db.commit()

    rows = (await db.scalars(select(Notification))).all()
    assert [(n.user_id, n.message, n.link, n.read_at) for n in rows] == [
        (user_id, TRANSLATED, "/landlord", None)
    ]
    [mail] = await deliver_mail(engine, settings)
    assert mail["To"] == address
    text = body(mail)
    assert "Choisissez un nouveau mot de passe" in text
    assert "Bonjour" in text
    assert settings.base_url.rstrip("/") + "/landlord" in text


async def test_without_settings_the_agencys_default_language_is_used(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency = await add_agency(db)
    agency.default_locale = "fr"
    user = await add_user(db, Role.LANDLORD, agency.id)

    await notify(db, user_id=user.id, message=TRANSLATED)
    await db.commit()

    [mail] = await deliver_mail(engine, settings)
    assert "Choisissez un nouveau mot de passe" in body(mail)


async def test_no_mail_when_asked_not_to_or_when_the_user_has_no_address(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency = await add_agency(db)
    with_address = await add_user(db, Role.LANDLORD, agency.id)
    without = await add_user(db, Role.HOUSEHOLD, agency.id)
    without.email, without.username = None, "no-mail-household"

    await notify(db, user_id=with_address.id, message=TRANSLATED, email=False)
    await notify(db, user_id=without.id, message=TRANSLATED)
    await db.commit()

    assert len((await db.scalars(select(Notification))).all()) == 2
    assert await deliver_mail(engine, settings) == []


async def test_the_portal_lists_notices_counts_unread_and_marks_them_read(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    other = await add_user(db, Role.HOUSEHOLD, agency.id)
    user_id, other_id = user.id, other.id
    for message in ("Hello {name},", TRANSLATED):
        await notify(db, user_id=user_id, message=message, params={"name": "Ada"}, email=False)
    await notify(db, user_id=other_id, message="Not for you", email=False)
    others = await db.scalar(select(Notification).where(Notification.user_id == other_id))
    assert others is not None
    others_id = others.id
    await sign_in_as(client, db, user, locale="fr")

    page = await client.get("/notifications")
    assert page.status_code == 200
    assert "Bonjour Ada," in page.text
    assert "Choisissez un nouveau mot de passe" in page.text
    assert "Not for you" not in page.text
    assert '<span class="badge"' in page.text
    assert ">2</span>" in page.text

    # Someone else's id changes nothing; then one, then all of the user's own are read.
    await post_form(client, "/notifications/read", {"id": str(others_id)})
    assert await unread_count(db, other_id) == 1
    mine = await db.scalar(select(Notification.id).where(Notification.user_id == user_id))
    await post_form(client, "/notifications/read", {"id": str(mine)})
    assert await unread_count(db, user_id) == 1
    response = await post_form(client, "/notifications/read", {})
    assert response.status_code == 303
    assert await unread_count(db, user_id) == 0
    assert '<span class="badge"' not in (await client.get("/notifications")).text


async def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = await client.get("/notifications", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/login")
