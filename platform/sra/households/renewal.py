"""Annual renewal: a household on the register confirms its profile once a year.

The daily job ``households.renewal`` does two things, and a re-run changes nothing:

- it reminds households whose ``renewal_due_on`` is within the agency's
  ``renewal_reminder_days`` (or already past), once per due date: ``renewal_reminded_at`` is
  set when the reminder goes out and cleared when the household confirms;
- it moves active households whose due date plus ``renewal_grace_days`` has passed to
  ``inactive`` through :func:`sra.households.status.move_household`. Nothing is deleted.

Confirming sets the next due date one year after the later of today and the current due date:
a household that confirms early keeps its yearly date, one that confirms late starts a new year
from the day it confirms. An inactive household that confirms is active again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.households.status import move_household
from sra.i18n import gettext as _
from sra.i18n import lazy, ngettext, use_locale
from sra.identity.current import CurrentUser
from sra.identity.models import User
from sra.jobs import TaskContext, task
from sra.mail import send_mail
from sra.notifications import notify
from sra.register.models import Agency, Household, HouseholdStatus
from sra.settings import Settings

S = HouseholdStatus
MAX_DAYS = 365
RENEWAL_PATH = "/tenant/renewal"

# On the register: these households renew. Only an active one lapses (an offer runs its
# course first; a declined offer brings the household back to active, and the next run).
RENEWING = frozenset({S.ACTIVE, S.OFFERED, S.INACTIVE})
REMINDED = frozenset({S.ACTIVE, S.OFFERED})

REMINDER_NOTICE = lazy("Please confirm your profile by {day} to stay on the waiting list.")

audit.register_entity("renewal_settings", fields={"renewal_reminder_days", "renewal_grace_days"})


class RenewalNotDue(ValueError):
    """The household has nothing to confirm yet (or is not on the register)."""


@dataclass(frozen=True)
class RenewalRun:
    reminded: int
    lapsed: int


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reminders_start(due: date, agency: Agency) -> date:
    return due - timedelta(days=agency.renewal_reminder_days)


def last_day_of_grace(due: date, agency: Agency) -> date:
    """The last day an unconfirmed profile is still active; it lapses the day after."""
    return due + timedelta(days=agency.renewal_grace_days)


def is_due(household: Household, agency: Agency, today: date) -> bool:
    """True when the household may (and should) confirm its profile now."""
    if household.status is S.INACTIVE:
        return True
    due = household.renewal_due_on
    return (
        household.status in RENEWING and due is not None and today >= reminders_start(due, agency)
    )


def next_due_on(household: Household, today: date) -> date:
    due = household.renewal_due_on
    return add_years(max(today, due) if due else today, 1)


async def confirm_renewal(
    session: AsyncSession,
    household: Household,
    agency: Agency,
    *,
    actor: CurrentUser | None,
    today: date,
    ip_address: str | None = None,
) -> date:
    """The household confirms its profile is up to date; returns the next due date."""
    if not is_due(household, agency, today):
        raise RenewalNotDue(household.reference)
    before = household.renewal_due_on
    household.renewal_due_on = next_due_on(household, today)
    household.renewal_reminded_at = None
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="household.renewal_confirmed",
        entity="household",
        entity_id=household.id,
        before={"renewal_due_on": before},
        after={"renewal_due_on": household.renewal_due_on},
        ip_address=ip_address,
    )
    if household.status is S.INACTIVE:
        await move_household(session, household, S.ACTIVE, actor=actor)
    await session.flush()
    return household.renewal_due_on


async def set_renewal_days(
    session: AsyncSession, agency: Agency, *, reminder_days: int, grace_days: int
) -> None:
    """Store the agency's renewal settings (the page checks them first; this refuses too)."""
    for days in (reminder_days, grace_days):
        if not 0 <= days <= MAX_DAYS:
            raise ValueError(f"renewal days must be from 0 to {MAX_DAYS}, got {days}")
    agency.renewal_reminder_days = reminder_days
    agency.renewal_grace_days = grace_days
    await session.flush()


async def run_renewal(
    session: AsyncSession, today: date, settings: Settings | None = None
) -> RenewalRun:
    """One pass over every agency (see the module's doc). Lapses go first: a profile that
    lapses today gets the "inactive" notice only, not a reminder of a date already past."""
    reminded = lapsed = 0
    for agency in (await session.scalars(select(Agency).order_by(Agency.created_at))).all():
        lapsed += await lapse_overdue(session, agency, today)
        reminded += await send_reminders(session, agency, today, settings)
    return RenewalRun(reminded=reminded, lapsed=lapsed)


async def send_reminders(
    session: AsyncSession, agency: Agency, today: date, settings: Settings | None = None
) -> int:
    window_end = today + timedelta(days=agency.renewal_reminder_days)
    households = await session.scalars(
        select(Household)
        .where(
            Household.agency_id == agency.id,
            Household.status.in_(REMINDED),
            Household.renewal_due_on <= window_end,
            Household.renewal_reminded_at.is_(None),
            Household.erasure_requested_at.is_(None),
            Household.erased_at.is_(None),
        )
        .order_by(Household.renewal_due_on, Household.reference)
    )
    count = 0
    for household in households.all():
        await remind(session, household, agency, settings)
        count += 1
    return count


async def lapse_overdue(session: AsyncSession, agency: Agency, today: date) -> int:
    # Lapsed when today is after the last day of grace: due < today - grace.
    cutoff = today - timedelta(days=agency.renewal_grace_days)
    households = await session.scalars(
        select(Household)
        .where(
            Household.agency_id == agency.id,
            Household.status == S.ACTIVE,
            Household.renewal_due_on < cutoff,
        )
        .order_by(Household.reference)
    )
    count = 0
    for household in households.all():
        await move_household(session, household, S.INACTIVE, actor=None)
        count += 1
    return count


async def remind(
    session: AsyncSession, household: Household, agency: Agency, settings: Settings | None
) -> None:
    """A line in the household's portal and an e-mail in its language; marks it reminded."""
    assert household.renewal_due_on is not None
    due = household.renewal_due_on
    user = await session.get(User, household.user_id) if household.user_id else None
    if user is not None:
        await notify(
            session,
            user_id=user.id,
            message=REMINDER_NOTICE,
            params={"day": due.isoformat()},
            link=RENEWAL_PATH,
            email=False,  # the e-mail below says more than the portal line
        )
    # A disabled account gets no mail; an account without an address may have one on file.
    address = None if user and not user.is_active else (user and user.email) or household.email
    if address:
        locale = (user.locale if user else None) or household.locale or agency.default_locale
        subject, text = reminder_mail(household, agency, locale, settings)
        await send_mail(session, to=address, subject=subject, text=text)
    household.renewal_reminded_at = datetime.now(UTC)
    await audit.record(
        session,
        actor_id=None,
        actor_label="system",
        action="household.renewal_reminded",
        entity="household",
        entity_id=household.id,
        after={"renewal_due_on": due},
    )
    await session.flush()


def reminder_mail(
    household: Household, agency: Agency, locale: str, settings: Settings | None
) -> tuple[str, str]:
    assert household.renewal_due_on is not None
    base = settings.base_url.rstrip("/") if settings is not None else ""
    grace = agency.renewal_grace_days
    with use_locale(locale):
        day = format_date(household.renewal_due_on, "long", locale=locale)
        parts = [
            _("Hello {name},").format(name=household.name),
            _(
                "Once a year we ask every household on the waiting list to confirm that its "
                "profile is still up to date. Please confirm yours by {day}."
            ).format(day=day),
            ngettext(
                "If it is not confirmed within {days} day after that date, your application is "
                "paused until you confirm it. You keep your registration date.",
                "If it is not confirmed within {days} days after that date, your application is "
                "paused until you confirm it. You keep your registration date.",
                grace,
            ).format(days=grace),
            _("Confirm your profile here:"),
            base + RENEWAL_PATH,
        ]
        subject = _("Please confirm your profile")
    return subject, "\n\n".join(parts)


@task("households.renewal", schedule=timedelta(days=1))
async def renewal_job(ctx: TaskContext, payload: dict[str, Any]) -> None:
    await run_renewal(ctx.session, date.today(), ctx.settings)
