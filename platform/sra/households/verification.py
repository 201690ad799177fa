"""Verification of a household by an allocation officer: the record of each decision, and the
decisions themselves (ask for more information, verify, reject) and the support need.

Verifying snapshots the household's facts (``sra.households.facts``) into
``Household.verified_facts``: points are computed from that snapshot only, so a later change
to members or income waits for an officer (``awaiting_reverification``) before it counts.

Each function checks everything first and raises :class:`VerificationRefused` (field -> a
translated sentence) before it writes anything; it flushes, the request commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Enum, ForeignKey, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from sra import audit
from sra.db.base import Base
from sra.households.facts import awaiting_reverification, facts_of, facts_to_json
from sra.households.messages import answered_since_asked, body_problem, send_to_household
from sra.households.personal_data import eraser, exporter
from sra.households.points_store import recompute_household
from sra.households.status import move_household
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.register.models import Household, HouseholdStatus, SupportNeed

S = HouseholdStatus

# What the officer confirms before verifying (untranslated ids; every one is required).
CHECK_ITEMS: dict[str, str] = {
    "identity_checked": lazy("Identity checked against an identity document"),
    "members_match_documents": lazy("The members match the documents"),
    "income_matches_declared": lazy("The proof of income matches the declared incomes"),
    "situation_evidence_seen": lazy("Evidence of the housing situation seen"),
    "consent_present": lazy("Consent to data processing present"),
}
MAX_NOTE = 4000


class Outcome(StrEnum):
    VERIFIED = "verified"
    RETURNED = "returned"
    REJECTED = "rejected"


class HouseholdVerification(Base):
    """One decision of an officer about one household, with the checklist as it stood."""

    __tablename__ = "household_verification"

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    checklist: Mapped[dict[str, bool]] = mapped_column(JSON)
    outcome: Mapped[Outcome] = mapped_column(
        Enum(
            Outcome,
            name="verification_outcome",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # The question asked, the reason for a rejection, or the officer's remark.
    note: Mapped[str | None] = mapped_column(Text)


audit.register_entity(
    "household_verification", fields={"household_id", "officer_id", "outcome", "checklist"}
)


class VerificationRefused(ValueError):
    """The decision cannot be taken as asked; ``errors`` says why, per form field."""

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def checklist_from(ticked: Iterable[str]) -> dict[str, bool]:
    """The checklist from the names of the ticked items (unknown names are ignored)."""
    chosen = set(ticked)
    return {item: item in chosen for item in CHECK_ITEMS}


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def can_verify(household: Household) -> bool:
    return household.status is S.SUBMITTED or (
        household.status is S.ACTIVE and awaiting_reverification(household)
    )


def can_ask(household: Household) -> bool:
    return can_verify(household)


def can_reject(household: Household) -> bool:
    return household.status is S.SUBMITTED


async def household_for_staff(
    session: AsyncSession, agency_id: UUID | None, household_id: UUID
) -> Household | None:
    """One household of the officer's agency with members, incomes and areas (None: 404)."""
    household: Household | None = await session.scalar(
        select(Household)
        .where(Household.id == household_id, Household.agency_id == agency_id)
        .options(
            selectinload(Household.members),
            selectinload(Household.incomes),
            selectinload(Household.preferred_areas),
        )
    )
    return household


async def verifications_of(
    session: AsyncSession, household_id: UUID
) -> list[HouseholdVerification]:
    rows = await session.scalars(
        select(HouseholdVerification)
        .where(HouseholdVerification.household_id == household_id)
        .order_by(HouseholdVerification.at, HouseholdVerification.id)
    )
    return list(rows)


async def _record(
    session: AsyncSession,
    household: Household,
    officer: CurrentUser,
    outcome: Outcome,
    checklist: dict[str, bool],
    note: str | None,
) -> HouseholdVerification:
    row = HouseholdVerification(
        household_id=household.id,
        officer_id=officer.id,
        at=datetime.now(UTC),
        checklist=checklist,
        outcome=outcome,
        note=note,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor_id=officer.id,
        actor_label=officer.display_name,
        action=f"household.verification.{outcome.value}",
        entity="household_verification",
        entity_id=row.id,
        after={"household_id": household.id, "officer_id": officer.id}
        | {"outcome": outcome, "checklist": checklist},
    )
    return row


def _note(text: str, field: str, *, required: bool, missing: str) -> tuple[str | None, Errors]:
    text = text.strip()
    if not text:
        return None, ({field: missing} if required else {})
    if len(text) > MAX_NOTE:
        return None, {field: _("The text can be at most {n} characters long.").format(n=MAX_NOTE)}
    return text, {}


async def request_information(
    session: AsyncSession,
    household: Household,
    *,
    officer: CurrentUser,
    message: str,
    checklist: dict[str, bool],
) -> HouseholdVerification:
    """Ask the household for more: a submitted application is returned with the question as
    its reason; an active one waiting for re-verification only gets the message."""
    if not can_ask(household):
        raise VerificationRefused({"decision": _("This application is not waiting for a check.")})
    problem = body_problem(message)
    if problem:
        raise VerificationRefused({"note": problem})
    returning = household.status is S.SUBMITTED
    await send_to_household(
        session, household, message, officer=officer, notify_household=not returning
    )
    if returning:
        await move_household(session, household, S.RETURNED, actor=officer, reason=message)
    return await _record(session, household, officer, Outcome.RETURNED, checklist, message.strip())


async def verify(
    session: AsyncSession,
    household: Household,
    *,
    officer: CurrentUser,
    checklist: dict[str, bool],
    note: str = "",
    today: date | None = None,
) -> HouseholdVerification:
    """Verify the facts as they stand, put a submitted household on the register (active) and
    recompute its points."""
    errors: Errors = {}
    if not can_verify(household):
        errors["decision"] = _("This application is not waiting for a check.")
    if not all(checklist.get(item) for item in CHECK_ITEMS):
        errors["checklist"] = _("Please tick every check before verifying.")
    elif not household.consent_given:
        errors["checklist"] = _("The household has not given its consent to data processing.")
    text, problems = _note(note, "note", required=False, missing="")
    errors |= problems
    if errors:
        raise VerificationRefused(errors)
    today = today or date.today()
    before = _verification_fields(household)
    household.verified_facts = facts_to_json(facts_of(household, today))
    household.verified_at = datetime.now(UTC)
    household.verified_by = officer.id
    if household.renewal_due_on is None:
        household.renewal_due_on = one_year_after(today)
    await audit.record(
        session,
        actor_id=officer.id,
        actor_label=officer.display_name,
        action="household.verify",
        entity="household",
        entity_id=household.id,
        before=before,
        after=_verification_fields(household),
    )
    if household.status is S.SUBMITTED:
        await move_household(session, household, S.ACTIVE, actor=officer)
    row = await _record(session, household, officer, Outcome.VERIFIED, checklist, text)
    await recompute_household(session, household, actor=officer)
    return row


def _verification_fields(household: Household) -> dict[str, Any]:
    return {
        "verified_at": household.verified_at,
        "verified_by": household.verified_by,
        "renewal_due_on": household.renewal_due_on,
    }


async def reject(
    session: AsyncSession,
    household: Household,
    *,
    officer: CurrentUser,
    reason: str,
    checklist: dict[str, bool],
) -> HouseholdVerification:
    """Refuse a submitted application; the household reads the reason."""
    errors: Errors = {}
    if not can_reject(household):
        errors["decision"] = _("Only a submitted application can be rejected.")
    text, problems = _note(
        reason, "note", required=True, missing=_("Please give the reason: the household reads it.")
    )
    errors |= problems
    if errors or text is None:
        raise VerificationRefused(errors)
    await move_household(session, household, S.REJECTED, actor=officer, reason=text)
    return await _record(session, household, officer, Outcome.REJECTED, checklist, text)


async def set_support_need(
    session: AsyncSession, household: Household, need: SupportNeed, *, officer: CurrentUser
) -> None:
    """Record the support the household needs (intensive is the solver's ``high_support``)."""
    if household.support_need is need:
        return
    before = {"support_need": household.support_need}
    household.support_need = need
    await audit.record(
        session,
        actor_id=officer.id,
        actor_label=officer.display_name,
        action="household.support_need",
        entity="household",
        entity_id=household.id,
        before=before,
        after={"support_need": need},
    )
    await session.flush()


@dataclass(frozen=True, slots=True)
class QueueRow:
    household: Household
    answered: bool  # its newest message is the household's answer to a question
    changed: bool  # active, and its facts changed since they were verified


async def verification_queue(session: AsyncSession, agency_id: UUID | None) -> list[QueueRow]:
    """Submitted applications, the longest waiting first; then returned ones that answered;
    then active households whose facts changed since their last verification."""
    rows = await session.scalars(
        select(Household)
        .where(
            Household.agency_id == agency_id,
            Household.status.in_((S.SUBMITTED, S.RETURNED, S.ACTIVE)),
        )
        .options(selectinload(Household.members))
    )
    households = list(rows)
    answered = await answered_since_asked(
        session, [h.id for h in households if h.status is not S.ACTIVE]
    )
    submitted = sorted(
        (h for h in households if h.status is S.SUBMITTED),
        key=lambda h: (h.submitted_at or datetime.min.replace(tzinfo=UTC), h.registered_on),
    )
    returned = [h for h in households if h.status is S.RETURNED and h.id in answered]
    changed = [h for h in households if h.status is S.ACTIVE and awaiting_reverification(h)]
    changed.sort(key=lambda h: (h.updated_at, h.reference))
    return [
        *(QueueRow(h, h.id in answered, False) for h in submitted),
        *(QueueRow(h, True, False) for h in returned),
        *(QueueRow(h, False, True) for h in changed),
    ]


@exporter("verifications")
async def _export(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    return [
        {
            "at": v.at.isoformat(),
            "outcome": v.outcome.value,
            "checklist": v.checklist,
            "note": v.note,
        }
        for v in await verifications_of(session, household.id)
    ]


@eraser("verification_notes")
async def _erase(session: AsyncSession, household: Household) -> None:
    """The decisions stay (who decided what, when); the free-text notes go."""
    await session.execute(
        update(HouseholdVerification)
        .where(HouseholdVerification.household_id == household.id)
        .values(note=None)
    )
    await session.flush()
