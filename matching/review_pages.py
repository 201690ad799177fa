"""``/staff/reviews``: households' requests to look again at a round's outcome (allocation
officers of the round's agency).

Each open request shows the household's outcome and the reasons exactly as the household reads
them (matching.why_not), with a form for the answer; the answer is recorded, the household is
notified and reads it on its round page. Another agency's request answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from matching.reviews import (
    MAX_TEXT,
    AlreadyAnswered,
    QueuedReview,
    ReviewStatus,
    answer_problem,
    answer_review,
    review_of_agency,
    reviews_of_agency,
)
from matching.why_not import WhyNot, fitted_flats, why_not
from sra.i18n import gettext as _
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

PATH = "/staff/reviews"
ANSWERED_SHOWN = 20


@dataclass(frozen=True)
class ReviewView:
    queued: QueuedReview
    why: WhyNot


def _view(queued: QueuedReview) -> ReviewView:
    fitted = fitted_flats(queued.round.problem, queued.row.household_id)
    return ReviewView(queued, why_not(queued.row, mode=queued.round.mode, fitted=fitted))


class ReviewController(Controller):
    path = PATH
    guards = [requires(Role.ALLOCATION_OFFICER)]
    include_in_schema = False

    async def _page(
        self,
        request: AnyRequest,
        db: AsyncSession,
        *,
        failed: UUID | None = None,
        values: dict[str, str] | None = None,
        error: str | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> Template:
        agency_id = caller(request).agency_id
        open_ = await reviews_of_agency(db, agency_id, ReviewStatus.OPEN)
        answered = await reviews_of_agency(db, agency_id, ReviewStatus.ANSWERED, ANSWERED_SHOWN)
        return Template(
            "matching/reviews.html",
            context={
                "open": [_view(q) for q in open_],
                "answered": answered,
                "failed": failed,
                "values": values or {},
                "error": error,
                "alert": alert,
                "max_text": MAX_TEXT,
            },
            status_code=status_code,
        )

    @get("/")
    async def queue(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        return await self._page(request, db_session)

    @post("/{review_id:uuid}/answer", status_code=303)
    async def answer(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        review_id: FromPath[UUID],
    ) -> Template | Redirect:
        officer = caller(request)
        found = await review_of_agency(db_session, officer.agency_id, review_id)
        if found is None:
            raise NotFoundException()
        text = field(await request.form(), "answer")
        problem = answer_problem(text)
        if problem:
            return await self._page(
                request,
                db_session,
                failed=review_id,
                values={"answer": text},
                error=problem,
                status_code=400,
            )
        try:
            await answer_review(db_session, found.review, text, officer=officer)
        except AlreadyAnswered:
            alert = _("This request was already answered.")
            return await self._page(request, db_session, alert=alert, status_code=409)
        return Redirect(PATH, status_code=303)


review_pages = [ReviewController]
