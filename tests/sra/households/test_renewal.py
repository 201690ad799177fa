"""The yearly renewal: reminders once per due date, lapse after the grace period, confirmation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.db import make_sessionmaker
from sra.households.renewal import (
    RenewalNotDue,
    RenewalRun,
    add_years,
    confirm_renewal,
    run_renewal,
)
from sra.households.status import HouseholdStatusChange
from sra.identity.roles import Role
from sra.jobs import Job, JobStatus, run_due_jobs
from sra.notifications import Notification
from sra.register.models import Agency, Household, HouseholdStatus
from sra.settings import Settings
from tests.sra.identity.flows import body, deliver_mail
from tests.sra.register.records import add_agency, add_household, add_user

S = HouseholdStatus
# Real today: delivering mail runs the worker, which runs the scheduled renewal job too.
TODAY = date.today()
CONFIRMED_ON = date(2026, 3, 10)
REMINDER_DAYS = 30
GRACE_DAYS = 14


async def renewal_agency(db: AsyncSession) -> Agency:
    agency = await add_agency(db)
    agency.renewal_reminder_days = REMINDER_DAYS
    agency.renewal_grace_days = GRACE_DAYS
    return agency


async def household_due(
    db: AsyncSession,
    agency: Agency,
    name: str,
    due: date | None,
    *,
    status: HouseholdStatus = S.ACTIVE,
    locale: str = "en",
) -> Household:
    user = await add_user(db, Role.HOUSEHOLD, agency.id)
    household = await add_household(db, agency, name, user=user, status=status)
    household.renewal_due_on = due
    household.locale = locale
    await db.flush()
    return household


async def moves_to(db: AsyncSession, household: Household, to: HouseholdStatus) -> int:
    found = await db.scalar(
        select(func.count())
        .select_from(HouseholdStatusChange)
        .where(
            HouseholdStatusChange.household_id == household.id,
            HouseholdStatusChange.to_status == to,
        )
    )
    return int(found or 0)


async def test_running_the_job_twice_sends_one_reminder_and_makes_one_move(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency = await renewal_agency(db)
    soon = await household_due(db, agency, "Ada Soon", TODAY + timedelta(days=10))
    lapsed = await household_due(db, agency, "Bo Lapsed", TODAY - timedelta(days=GRACE_DAYS + 1))
    await db.commit()

    first = await run_renewal(db, TODAY, settings)
    await db.commit()
    second = await run_renewal(db, TODAY, settings)
    await db.commit()

    assert (first, second) == (RenewalRun(reminded=1, lapsed=1), RenewalRun(0, 0))
    assert soon.renewal_reminded_at is not None
    assert (soon.status, lapsed.status) == (S.ACTIVE, S.INACTIVE)
    assert await moves_to(db, lapsed, S.INACTIVE) == 1
    mails = await deliver_mail(engine, settings)
    reminders = [m for m in mails if m["Subject"] == "Please confirm your profile"]
    assert len(reminders) == 1
    assert "Ada Soon" in body(reminders[0])
    assert settings.base_url.rstrip("/") + "/tenant/renewal" in body(reminders[0])
    notices = (await db.scalars(select(Notification.link))).all()
    assert sorted(link or "" for link in notices) == ["/tenant", "/tenant/renewal"]


async def test_the_worker_runs_the_daily_job_and_a_second_day_changes_nothing(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    import sra.households.renewal  # noqa: F401  (the worker imports it through wiring)
    from sra_app.wiring import task_modules

    assert "sra.households.renewal" in task_modules()
    agency = await renewal_agency(db)
    today = date.today()
    soon = await household_due(db, agency, "Cy Worker", today + timedelta(days=1))
    gone = await household_due(db, agency, "Di Worker", today - timedelta(days=GRACE_DAYS + 1))
    await db.commit()
    session_maker = make_sessionmaker(engine)
    now = datetime.now(UTC)

    await run_due_jobs(session_maker, settings, now=now)
    await run_due_jobs(session_maker, settings, now=now + timedelta(days=1))

    runs = await db.scalars(select(Job).where(Job.name == "households.renewal"))
    assert [job.status for job in runs] == [JobStatus.DONE.value] * 2
    for household in (soon, gone):
        await db.refresh(household)
    assert soon.renewal_reminded_at is not None
    assert gone.status is S.INACTIVE
    assert await moves_to(db, gone, S.INACTIVE) == 1
    reminder_mails = await db.scalar(
        select(func.count()).select_from(Job).where(Job.name == "mail.send")
    )
    assert reminder_mails == 2  # Cy's reminder, Di's "inactive" notice; nothing on day two


@pytest.mark.parametrize(
    ("days_past_due", "status"),
    [(GRACE_DAYS - 1, S.ACTIVE), (GRACE_DAYS, S.ACTIVE), (GRACE_DAYS + 1, S.INACTIVE)],
)
async def test_a_profile_lapses_only_the_day_after_the_grace_period(
    db: AsyncSession, settings: Settings, days_past_due: int, status: HouseholdStatus
) -> None:
    agency = await renewal_agency(db)
    household = await household_due(db, agency, "Ed", TODAY - timedelta(days=days_past_due))

    await run_renewal(db, TODAY, settings)

    assert household.status is status


@pytest.mark.parametrize(
    ("days_to_due", "reminded"),
    [(REMINDER_DAYS + 1, False), (REMINDER_DAYS, True), (0, True), (-3, True)],
)
async def test_the_reminder_goes_out_once_the_due_date_is_within_the_reminder_days(
    db: AsyncSession, settings: Settings, days_to_due: int, reminded: bool
) -> None:
    agency = await renewal_agency(db)
    household = await household_due(db, agency, "Flo", TODAY + timedelta(days=days_to_due))

    result = await run_renewal(db, TODAY, settings)

    assert result.reminded == int(reminded)
    assert (household.renewal_reminded_at is not None) is reminded


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.INACTIVE, S.WITHDRAWN, S.HOUSED])
async def test_households_off_the_register_are_neither_reminded_nor_moved(
    db: AsyncSession, settings: Settings, status: HouseholdStatus
) -> None:
    agency = await renewal_agency(db)
    household = await household_due(db, agency, "Gil", TODAY - timedelta(days=90), status=status)

    assert await run_renewal(db, TODAY, settings) == RenewalRun(0, 0)
    assert household.status is status
    assert household.renewal_reminded_at is None


async def test_a_household_that_asked_for_erasure_gets_no_reminder(
    db: AsyncSession, settings: Settings
) -> None:
    agency = await renewal_agency(db)
    household = await household_due(db, agency, "Hal", TODAY + timedelta(days=3))
    household.erasure_requested_at = datetime.now(UTC)

    assert (await run_renewal(db, TODAY, settings)).reminded == 0


async def test_the_reminder_is_written_in_the_households_language(
    db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    agency = await renewal_agency(db)
    await household_due(db, agency, "Iva", TODAY + timedelta(days=3), locale="fr")

    await run_renewal(db, TODAY, settings)
    await db.commit()

    [mail] = await deliver_mail(engine, settings)
    assert body(mail).startswith("Bonjour Iva,")


async def test_confirming_puts_an_inactive_household_back_on_the_list_for_a_year(
    db: AsyncSession,
) -> None:
    agency = await renewal_agency(db)
    household = await household_due(
        db, agency, "Jo", CONFIRMED_ON - timedelta(days=60), status=S.INACTIVE
    )
    household.renewal_reminded_at = datetime.now(UTC)

    next_due = await confirm_renewal(db, household, agency, actor=None, today=CONFIRMED_ON)

    assert next_due == household.renewal_due_on == date(2027, 3, 10)  # a year from today
    assert household.status is S.ACTIVE
    assert household.renewal_reminded_at is None
    assert await moves_to(db, household, S.ACTIVE) == 1


async def test_confirming_early_keeps_the_households_yearly_date(db: AsyncSession) -> None:
    agency = await renewal_agency(db)
    household = await household_due(db, agency, "Kim", CONFIRMED_ON + timedelta(days=20))

    await confirm_renewal(db, household, agency, actor=None, today=CONFIRMED_ON)

    assert household.renewal_due_on == date(2027, 3, 30)
    assert household.status is S.ACTIVE


async def test_nothing_can_be_confirmed_before_the_reminder_days(db: AsyncSession) -> None:
    agency = await renewal_agency(db)
    due = CONFIRMED_ON + timedelta(days=REMINDER_DAYS + 1)
    household = await household_due(db, agency, "Lou", due)

    with pytest.raises(RenewalNotDue):
        await confirm_renewal(db, household, agency, actor=None, today=CONFIRMED_ON)
    assert household.renewal_due_on == due


def test_a_year_after_29_february_is_28_february() -> None:
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_years(date(2027, 3, 1), 1) == date(2028, 3, 1)
