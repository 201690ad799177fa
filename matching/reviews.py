"""Review requests: a household asks the agency to look again at a round's outcome for it.

A household that took part in a round (its RoundHousehold row) may ask once per round; the
request waits in the allocation officers' queue (matching.review_pages) until one of them
answers. The household is told, and reads the answer beside the round's reasons
(tenant_portal/rounds.py).

Question and answer are personal data: they stay out of the audit log (which says who asked
and who answered, and when), the export gives them to the household and the eraser blanks
them. Services validate before writing and flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Enum, ForeignKey, Select, Text, UniqueConstraint, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from matching.rounds import AllocationRound, RoundHousehold, RoundStatus
from sra import audit
from sra.db.base import Base
from sra.households.personal_data import eraser, exporter
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.notifications import notify
from sra.register.models import Household

MAX_TEXT = 4000
TENANT_PAGE = "/tenant/rounds/{round_id}"
ANSWERED_NOTICE = lazy("The agency answered your question about the round {round}.")
# Households read a round once it is solved; a round being set up or re-run shows nothing yet.
SHOWN_TO_HOUSEHOLDS = frozenset({RoundStatus.PROPOSED, RoundStatus.CLOSED})


class ReviewStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class ReviewRequest(Base):
    __tablename__ = "round_review_request"
    # One request per household and round: a second one is refused, not queued.
    __table_args__ = (UniqueConstraint("round_id", "household_id"),)

    round_id: Mapped[UUID] = mapped_column(
        ForeignKey("allocation_round.id", ondelete="CASCADE"), index=True
    )
    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[ReviewStatus] = mapped_column(
        Enum(
            ReviewStatus,
            name="review_status",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ReviewStatus.OPEN,
        index=True,
    )
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


audit.register_entity(
    "round_review_request", fields={"round_id", "household_id", "status", "answered_by"}
)


class AlreadyAsked(Exception):
    """The household already asked for a review of this round."""


class AlreadyAnswered(Exception):
    """The request was answered before (by another officer, or a second click)."""


def _text_problem(text: str, missing: str) -> str | None:
    if not text.strip():
        return missing
    if len(text.strip()) > MAX_TEXT:
        return _("Please write at most {n} characters.").format(n=MAX_TEXT)
    return None


def question_problem(question: str) -> str | None:
    """A translated sentence saying what is wrong with the question, or None."""
    return _text_problem(question, _("Please write your question for the agency."))


def answer_problem(answer: str) -> str | None:
    return _text_problem(answer, _("Please write the answer for the household."))


async def review_of(
    session: AsyncSession, round_id: UUID, household_id: UUID
) -> ReviewRequest | None:
    found: ReviewRequest | None = await session.scalar(
        select(ReviewRequest).where(
            ReviewRequest.round_id == round_id, ReviewRequest.household_id == household_id
        )
    )
    return found


async def ask_for_review(
    session: AsyncSession, row: RoundHousehold, question: str, *, actor: CurrentUser
) -> ReviewRequest:
    """The household of ``row`` asks about its outcome in the row's round. The caller has
    checked that ``row`` is the signed-in household's own."""
    problem = question_problem(question)
    if problem:
        raise ValueError(problem)
    if await review_of(session, row.round_id, row.household_id) is not None:
        raise AlreadyAsked()
    review = ReviewRequest(
        round_id=row.round_id,
        household_id=row.household_id,
        question=question.strip(),
        status=ReviewStatus.OPEN,
    )
    session.add(review)
    await session.flush()
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="round.review.asked",
        entity="round_review_request",
        entity_id=review.id,
        after={"round_id": row.round_id, "household_id": row.household_id, "status": "open"},
    )
    return review


async def answer_review(
    session: AsyncSession,
    review: ReviewRequest,
    answer: str,
    *,
    officer: CurrentUser,
) -> None:
    """Record the officer's answer and tell the household (it reads it on the round's page).
    The caller has checked that the request belongs to the officer's agency."""
    problem = answer_problem(answer)
    if problem:
        raise ValueError(problem)
    if review.status is not ReviewStatus.OPEN:
        raise AlreadyAnswered()
    review.status = ReviewStatus.ANSWERED
    review.answer = answer.strip()
    review.answered_by = officer.id
    review.answered_at = datetime.now(UTC)
    await session.flush()
    await audit.record(
        session,
        actor_id=officer.id,
        actor_label=officer.display_name,
        action="round.review.answered",
        entity="round_review_request",
        entity_id=review.id,
        before={"status": "open"},
        after={"status": "answered", "answered_by": officer.id},
    )
    household = await session.get(Household, review.household_id)
    round_ = await session.get(AllocationRound, review.round_id)
    if household is not None and household.user_id is not None and round_ is not None:
        await notify(
            session,
            user_id=household.user_id,
            message=ANSWERED_NOTICE,
            params={"round": round_.name},
            link=TENANT_PAGE.format(round_id=review.round_id),
        )


# ---- what each party may read ---------------------------------------------------------------


async def rounds_of_household(
    session: AsyncSession, household_id: UUID
) -> list[tuple[AllocationRound, RoundHousehold]]:
    """The solved rounds the household took part in, newest first, with its own row of each."""
    rows = await session.execute(
        select(AllocationRound, RoundHousehold)
        .join(RoundHousehold, RoundHousehold.round_id == AllocationRound.id)
        .where(
            RoundHousehold.household_id == household_id,
            AllocationRound.status.in_(SHOWN_TO_HOUSEHOLDS),
        )
        .order_by(AllocationRound.round_date.desc(), AllocationRound.created_at.desc())
    )
    return list(rows.tuples())


async def round_of_household(
    session: AsyncSession, household_id: UUID, round_id: UUID
) -> tuple[AllocationRound, RoundHousehold] | None:
    """One of those rounds; None (the caller answers 404) for any other round."""
    row = await session.execute(
        select(AllocationRound, RoundHousehold)
        .join(RoundHousehold, RoundHousehold.round_id == AllocationRound.id)
        .where(
            AllocationRound.id == round_id,
            RoundHousehold.household_id == household_id,
            AllocationRound.status.in_(SHOWN_TO_HOUSEHOLDS),
        )
    )
    found = row.tuples().first()
    return (found[0], found[1]) if found else None


@dataclass(frozen=True)
class QueuedReview:
    review: ReviewRequest
    round: AllocationRound
    row: RoundHousehold
    household: Household


async def reviews_of_agency(
    session: AsyncSession, agency_id: UUID | None, status: ReviewStatus, limit: int = 200
) -> list[QueuedReview]:
    """The agency's requests in ``status``: open ones oldest first, answered ones newest first."""
    newest_first = status is ReviewStatus.ANSWERED
    rows = await session.execute(
        _agency_query(agency_id)
        .where(ReviewRequest.status == status)
        .order_by(
            ReviewRequest.updated_at.desc() if newest_first else ReviewRequest.created_at,
            ReviewRequest.id,
        )
        .limit(limit)
    )
    return [QueuedReview(*found) for found in rows.tuples()]


async def review_of_agency(
    session: AsyncSession, agency_id: UUID | None, review_id: UUID
) -> QueuedReview | None:
    rows = await session.execute(_agency_query(agency_id).where(ReviewRequest.id == review_id))
    found = rows.tuples().first()
    return QueuedReview(*found) if found else None


def _agency_query(
    agency_id: UUID | None,
) -> Select[tuple[ReviewRequest, AllocationRound, RoundHousehold, Household]]:
    return (
        select(ReviewRequest, AllocationRound, RoundHousehold, Household)
        .join(AllocationRound, AllocationRound.id == ReviewRequest.round_id)
        .join(
            RoundHousehold,
            (RoundHousehold.round_id == ReviewRequest.round_id)
            & (RoundHousehold.household_id == ReviewRequest.household_id),
        )
        .join(Household, Household.id == ReviewRequest.household_id)
        .where(AllocationRound.agency_id == agency_id, Household.agency_id == agency_id)
    )


@exporter("round_reviews")
async def _export(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ReviewRequest, AllocationRound.name)
        .join(AllocationRound, AllocationRound.id == ReviewRequest.round_id)
        .where(ReviewRequest.household_id == household.id)
        .order_by(ReviewRequest.created_at)
    )
    return [
        {
            "round": name,
            "asked_at": review.created_at.isoformat(),
            "question": review.question,
            "status": review.status.value,
            "answer": review.answer,
            "answered_at": review.answered_at.isoformat() if review.answered_at else None,
        }
        for review, name in rows.tuples()
    ]


@eraser("round_reviews")
async def _erase(session: AsyncSession, household: Household) -> None:
    """Blank the texts; the rows stay so the round's queue keeps its history."""
    await session.execute(
        update(ReviewRequest)
        .where(ReviewRequest.household_id == household.id)
        .values(question="", answer=None)
        .execution_options(synchronize_session=False)
    )
    await session.flush()
