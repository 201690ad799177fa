"""``/tenant/rounds``: the allocation rounds the household took part in, and why not.

For each solved round (proposed or closed) the household reads whether a flat was proposed for
it and, if not, the reasons in plain words (matching.why_not), and may ask the agency once per
round to look again (matching.reviews). Only the signed-in household's own rows are read; a
round it was not in answers 404, whoever was.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from matching.reviews import (
    MAX_TEXT,
    AlreadyAsked,
    ReviewRequest,
    ask_for_review,
    question_problem,
    review_of,
    round_of_household,
    rounds_of_household,
)
from matching.rounds import AllocationRound, RoundHousehold
from matching.why_not import WhyNot, fitted_flats, why_not
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.register.models import Household
from sra.register.queries import household_of_user
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

HOUSEHOLDS = requires(Role.HOUSEHOLD)
PATH = "/tenant/rounds"


@dataclass(frozen=True)
class RoundOutcome:
    round: AllocationRound
    why: WhyNot
    review: ReviewRequest | None


async def _household(request: AnyRequest, db: AsyncSession) -> Household | None:
    return await household_of_user(db, _caller(request).id)


async def _outcome(db: AsyncSession, round_: AllocationRound, row: RoundHousehold) -> RoundOutcome:
    fitted = fitted_flats(round_.problem, row.household_id)
    return RoundOutcome(
        round=round_,
        why=why_not(row, mode=round_.mode, fitted=fitted),
        review=await review_of(db, round_.id, row.household_id),
    )


@get(PATH, guards=[HOUSEHOLDS])
async def my_rounds(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    household = await _household(request, db_session)
    found = await rounds_of_household(db_session, household.id) if household else []
    return Template(
        "tenant/rounds.html",
        context={
            "household": household,
            "outcomes": [await _outcome(db_session, r, row) for r, row in found],
        },
    )


async def _own(
    request: AnyRequest, db: AsyncSession, round_id: UUID
) -> tuple[AllocationRound, RoundHousehold]:
    household = await _household(request, db)
    found = await round_of_household(db, household.id, round_id) if household else None
    if found is None:
        raise NotFoundException()
    return found


async def _page(
    db: AsyncSession,
    found: tuple[AllocationRound, RoundHousehold],
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "tenant/round.html",
        context={
            "outcome": await _outcome(db, *found),
            "values": values or {},
            "errors": errors or {},
            "max_text": MAX_TEXT,
        },
        status_code=status_code,
    )


@get(PATH + "/{round_id:uuid}", guards=[HOUSEHOLDS])
async def my_round(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], round_id: FromPath[UUID]
) -> Template:
    return await _page(db_session, await _own(request, db_session, round_id))


@post(PATH + "/{round_id:uuid}/review", guards=[HOUSEHOLDS], status_code=303)
async def ask(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], round_id: FromPath[UUID]
) -> Template | Redirect:
    found = await _own(request, db_session, round_id)
    question = (await request.form()).get("question")
    values = {"question": question.strip() if isinstance(question, str) else ""}
    problem = question_problem(values["question"])
    if problem:
        return await _page(
            db_session, found, values=values, errors={"question": problem}, status_code=400
        )
    try:
        await ask_for_review(db_session, found[1], values["question"], actor=_caller(request))
    except AlreadyAsked:
        error = _("You already asked about this round. The agency answers here.")
        return await _page(
            db_session, found, values=values, errors={"question": error}, status_code=409
        )
    return Redirect(f"{PATH}/{round_id}", status_code=303)


round_pages = [my_rounds, my_round, ask]
