"""Demo applications walked through the real services: documents uploaded, application sent,
checked by the allocation officer (verified with points, returned with a question, or left
waiting), one renewal lapsed. What the demo shows is what the services made, history included.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sra.files import FileStore
from sra.households.document_store import add_document
from sra.households.points_store import ensure_default_scheme
from sra.households.profile import IncomeInput, save_row
from sra.households.status import move_household
from sra.households.verification import CHECK_ITEMS, request_information, verify
from sra.identity.current import CurrentUser, acting_as
from sra.identity.models import User
from sra.identity.roles import Role
from sra.register.models import Agency, Household, HouseholdStatus, IncomeSource
from sra.settings import Settings

S = HouseholdStatus
VERIFIED = {S.ACTIVE, S.OFFERED, S.HOUSED, S.INACTIVE}
# Found work after verification: the new income waits for an officer's second look.
CHANGED_SINCE_VERIFIED = "H-0014"
NEW_INCOME = IncomeInput(IncomeSource.WORK, 32000)
QUESTION = (
    "Thank you for your application. Please add your most recent unemployment benefit "
    "statement: the one you sent is from last year."
)


class DemoTarget(Protocol):
    """What this module reads of a demo household record: where its application ends up."""

    @property
    def reference(self) -> str: ...

    @property
    def status(self) -> HouseholdStatus: ...


def demo_document(title: str, lines: list[str], kind: str) -> bytes:
    """A plainly fictional document: a scanned-looking page as PNG or PDF (Pillow)."""
    page = Image.new("RGB", (850, 1100), (250, 250, 245))
    draw = ImageDraw.Draw(page)
    draw.text((60, 60), f"{title} (DEMO - FICTIONAL)", fill=(20, 20, 20), font_size=36)
    for row, text in enumerate(lines):
        draw.text((60, 160 + row * 48), text, fill=(40, 40, 40), font_size=26)
    out = io.BytesIO()
    page.save(out, kind)
    return out.getvalue()


async def add_demo_household_journeys(
    session: AsyncSession,
    agency: Agency,
    targets: Sequence[DemoTarget],
    settings: Settings | None,
) -> None:
    """Move each demo application to its target status (``targets``: the DemoHousehold records)."""
    officer_user = await session.scalar(
        select(User).where(User.agency_id == agency.id, User.role == Role.ALLOCATION_OFFICER)
    )
    assert officer_user is not None, "the demo needs its allocation officer first"
    officer = acting_as(officer_user)
    await ensure_default_scheme(session, agency.id, actor=officer)
    target_of = {t.reference: t.status for t in targets}
    households = await session.scalars(
        select(Household)
        .where(Household.agency_id == agency.id)
        .options(selectinload(Household.members), selectinload(Household.incomes))
        .order_by(Household.reference)
    )
    store = FileStore.from_settings(settings) if settings is not None else None
    for household in households:
        target = target_of[household.reference]
        if target is S.DRAFT:
            continue
        actor = await _household_actor(session, household) or officer
        if store is not None:
            await _upload_documents(session, store, household, actor)
        await move_household(session, household, S.SUBMITTED, actor=actor)
        await _check(session, household, target, officer)
        if household.reference == CHANGED_SINCE_VERIFIED:
            errors = await save_row(session, household, "incomes", NEW_INCOME, actor=actor)
            assert not errors, errors


async def _household_actor(session: AsyncSession, household: Household) -> CurrentUser | None:
    if household.user_id is None:
        return None  # an officer opened the account and acts for the household
    user = await session.get(User, household.user_id)
    return acting_as(user) if user is not None else None


async def _upload_documents(
    session: AsyncSession, store: FileStore, household: Household, actor: CurrentUser
) -> None:
    await add_document(
        session,
        store,
        household,
        kind="identity",
        data=demo_document(
            "Identity card", [f"Name: {household.name}", "Card number: DEMO-000000"], "PNG"
        ),
        filename="identity-card.png",
        actor=actor,
    )
    lines = [f"{i.source.value}: {i.amount_cents / 100:.2f} per month" for i in household.incomes]
    await add_document(
        session,
        store,
        household,
        kind="income",
        data=demo_document("Proof of income", lines or ["No income"], "PDF"),
        filename="proof-of-income.pdf",
        actor=actor,
    )


async def _check(
    session: AsyncSession, household: Household, target: HouseholdStatus, officer: CurrentUser
) -> None:
    everything_seen = dict.fromkeys(CHECK_ITEMS, True)
    if target is S.RETURNED:
        checklist = everything_seen | {"income_matches_declared": False}
        await request_information(
            session, household, officer=officer, message=QUESTION, checklist=checklist
        )
        return
    if target not in VERIFIED:
        return  # left waiting in the verification queue
    today = date.today()
    await verify(session, household, officer=officer, checklist=everything_seen, today=today)
    # Renewals fall on the anniversary of registration, so they spread over the year.
    household.renewal_due_on = next_anniversary(household.registered_on, today)
    if target is S.INACTIVE:
        household.renewal_due_on = today - timedelta(days=45)
        await move_household(session, household, S.INACTIVE, actor=None)
    elif target in (S.OFFERED, S.HOUSED):
        await move_household(session, household, S.OFFERED, actor=officer)
        if target is S.HOUSED:
            await move_household(session, household, S.HOUSED, actor=officer)


def next_anniversary(registered_on: date, today: date) -> date:
    """The first anniversary of ``registered_on`` after ``today`` (29 February -> 28)."""
    for year in (today.year, today.year + 1):
        day = min(registered_on.day, 28) if registered_on.month == 2 else registered_on.day
        anniversary = registered_on.replace(year=year, day=day)
        if anniversary > today:
            return anniversary
    raise AssertionError("unreachable: next year's anniversary is after today")
