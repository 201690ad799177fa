"""Allocation rounds for allocation officers: create, follow the solve, review, send offers.

Every query is scoped to the officer's agency (another agency's round is a 404). A form with
bad input re-renders its page with status 400, the message beside the field, and stores
nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from matching import round_review as review
from matching.offer_policy import policy_of
from matching.round_form import (
    MODES,
    blank_values,
    read_deadline,
    read_round_form,
    read_search_minutes,
    unit_choices,
)
from matching.round_view import (
    DECISIONS,
    DIMENSION_LABELS,
    fairness_csv,
    group_label,
    people,
    percent,
    round_view,
)
from matching.rounds import (
    SENDABLE,
    AllocationRound,
    Decision,
    RoundNotReady,
    RoundStatus,
    create_round,
    rerun_keeping_approved,
    round_of_agency,
    rounds_of_agency,
)
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register.queries import agency_currency
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

STATUS = {
    RoundStatus.DRAFT: lazy("Draft"),
    RoundStatus.QUEUED: lazy("Waiting to be solved"),
    RoundStatus.RUNNING: lazy("Being solved"),
    RoundStatus.PROPOSED: lazy("Proposal ready for review"),
    RoundStatus.CLOSED: lazy("Closed"),
    RoundStatus.FAILED: lazy("Could not be solved"),
}


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _round(db: AsyncSession, user: CurrentUser, round_id: UUID) -> AllocationRound:
    round_ = await round_of_agency(db, user.agency_id, round_id)
    if round_ is None:
        raise NotFoundException()
    return round_


def _to_round(round_: AllocationRound) -> Redirect:
    return Redirect(f"/staff/rounds/{round_.id}", status_code=303)


class RoundsController(Controller):
    path = "/staff/rounds"
    guards = [requires(Role.ALLOCATION_OFFICER)]
    include_in_schema = False

    @get("/")
    async def list_rounds(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = _caller(request)
        rounds = await rounds_of_agency(db_session, user.agency_id)
        return Template("matching/rounds.html", context={"rounds": rounds, "status": STATUS})

    @get("/new")
    async def new_round(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = _caller(request)
        choices = await unit_choices(db_session, user.agency_id)
        return await _form(db_session, user, choices, blank_values(choices, date.today()), {})

    @post("/")
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        user = _caller(request)
        choices = await unit_choices(db_session, user.agency_id)
        wanted, values, errors = read_round_form(await request.form(), choices, date.today())
        if wanted is None or user.agency_id is None:
            return await _form(db_session, user, choices, values, errors)
        round_ = await create_round(
            db_session,
            agency_id=user.agency_id,
            name=wanted.name,
            round_date=wanted.round_date,
            unit_ids=wanted.unit_ids,
            policy=wanted.policy,
            actor=user,
        )
        return _to_round(round_)

    @get("/{round_id:uuid}")
    async def round_page(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Template:
        user = _caller(request)
        return await _page(db_session, user, await _round(db_session, user, round_id))

    @get("/{round_id:uuid}/progress")
    async def progress(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Template:
        """The progress box alone, for htmx to poll; a finished round reloads the page."""
        user = _caller(request)
        round_ = await _round(db_session, user, round_id)
        headers = {} if round_.working else {"HX-Refresh": "true"}
        return Template(
            "matching/round_progress.html",
            context={"round": round_, "status": STATUS},
            headers=headers,
        )

    @get("/{round_id:uuid}/fairness.csv")
    async def fairness_csv(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Response[str]:
        user = _caller(request)
        round_ = await _round(db_session, user, round_id)
        view = await round_view(db_session, round_)
        return Response(
            fairness_csv(view.fairness),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="round-{round_.id}-fairness.csv"'
            },
        )

    @post("/{round_id:uuid}/proposals/{proposal_id:uuid}/approve")
    async def approve(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
        proposal_id: FromPath[UUID],
    ) -> Response[Any]:
        user, round_, proposal = await _proposal(request, db_session, round_id, proposal_id)
        try:
            await review.approve(db_session, round_, proposal, user)
        except review.ReviewClosed:
            return await _closed(db_session, user, round_)
        return _to_round(round_)

    @post("/{round_id:uuid}/proposals/{proposal_id:uuid}/reject")
    async def reject(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
        proposal_id: FromPath[UUID],
    ) -> Response[Any]:
        user, round_, proposal = await _proposal(request, db_session, round_id, proposal_id)
        reason = _text(await request.form(), "reason")
        try:
            errors = await review.reject(db_session, round_, proposal, reason, user)
        except review.ReviewClosed:
            return await _closed(db_session, user, round_)
        if errors:
            failed = {"proposal": proposal.id, "form": "reject", "values": {"reason": reason}}
            return await _page(db_session, user, round_, failed={**failed, "errors": errors})
        return _to_round(round_)

    @post("/{round_id:uuid}/proposals/{proposal_id:uuid}/override")
    async def override(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
        proposal_id: FromPath[UUID],
    ) -> Response[Any]:
        user, round_, proposal = await _proposal(request, db_session, round_id, proposal_id)
        form = await request.form()
        values = {
            "household": _text(form, "household"),
            "justification": _text(form, "justification"),
        }
        try:
            chosen = UUID(values["household"]) if values["household"] else None
        except ValueError:
            chosen = None
        try:
            errors = await review.override(
                db_session,
                round_,
                proposal,
                household_id=chosen,
                justification=values["justification"],
                actor=user,
            )
        except review.ReviewClosed:
            return await _closed(db_session, user, round_)
        if errors:
            failed = {"proposal": proposal.id, "form": "override", "values": values}
            return await _page(db_session, user, round_, failed={**failed, "errors": errors})
        return _to_round(round_)

    @post("/{round_id:uuid}/rerun")
    async def rerun(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Response[Any]:
        user = _caller(request)
        round_ = await _round(db_session, user, round_id)
        form = await request.form()
        minutes = None
        if "search_minutes" in form:  # "search again for longer"; a plain re-run keeps its limit
            text = _text(form, "search_minutes")
            minutes, error = read_search_minutes(text)
            if minutes is None:
                failed = {"values": {"search_minutes": text}, "errors": {"search_minutes": error}}
                return await _page(db_session, user, round_, failed={"form": "search", **failed})
        try:
            await rerun_keeping_approved(db_session, round_, user, search_minutes=minutes)
        except RoundNotReady:
            return await _closed(db_session, user, round_)
        return _to_round(round_)

    @post("/{round_id:uuid}/offers")
    async def send_offers(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Response[Any]:
        user = _caller(request)
        round_ = await _round(db_session, user, round_id)
        text = _text(await request.form(), "deadline")
        deadline, error = read_deadline(text, date.today())
        if round_.status is not RoundStatus.PROPOSED:
            return await _closed(db_session, user, round_)
        if deadline is None:
            failed = {"form": "offers", "values": {"deadline": text}, "errors": {"deadline": error}}
            return await _page(db_session, user, round_, failed=failed)
        report = await review.send_offers(
            db_session,
            round_,
            deadline=deadline,
            actor=user,
            settings=request.app.state.settings,
        )
        if report.sent == 0:
            error = _("No approved proposal could be offered: approve proposals first.")
            failed = {"form": "offers", "values": {"deadline": text}, "errors": {"deadline": error}}
            return await _page(db_session, user, round_, failed=failed)
        return _to_round(round_)

    @post("/{round_id:uuid}/close")
    async def close(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        round_id: FromPath[UUID],
    ) -> Response[Any]:
        user = _caller(request)
        round_ = await _round(db_session, user, round_id)
        try:
            closed = await review.close_round(db_session, round_, user)
        except review.ReviewClosed:
            return await _closed(db_session, user, round_)
        if not closed:
            error = _("Every proposal must be offered or rejected before the round is closed.")
            return await _page(
                db_session, user, round_, failed={"form": "close", "errors": {"close": error}}
            )
        return _to_round(round_)


async def _proposal(
    request: AnyRequest, db: AsyncSession, round_id: UUID, proposal_id: UUID
) -> tuple[CurrentUser, AllocationRound, Any]:
    user = _caller(request)
    round_ = await _round(db, user, round_id)
    proposal = await review.proposal_of_round(db, round_, proposal_id)
    if proposal is None:
        raise NotFoundException()
    return user, round_, proposal


async def _closed(db: AsyncSession, user: CurrentUser, round_: AllocationRound) -> Template:
    """A decision on something no longer open (another tab decided, the round moved on)."""
    error = _("This was already decided or the round has moved on. Please look again.")
    return await _page(db, user, round_, failed={"form": "general", "errors": {"general": error}})


async def _form(
    db: AsyncSession,
    user: CurrentUser,
    choices: list[Any],
    values: dict[str, Any],
    errors: Errors,
) -> Template:
    return Template(
        "matching/round_new.html",
        context={
            "choices": choices,
            "values": values,
            "errors": errors,
            "modes": MODES,
            "currency": await agency_currency(db, user.agency_id),
        },
        status_code=400 if errors else 200,
    )


async def _page(
    db: AsyncSession,
    user: CurrentUser,
    round_: AllocationRound,
    failed: dict[str, Any] | None = None,
) -> Template:
    """The round: progress while it is solved, else the proposal with its review forms."""
    solved = round_.result is not None and not round_.working
    view = await round_view(db, round_) if solved else None
    candidates, flagged = {}, {}
    for item in view.proposals if view else []:
        p = item.proposal
        if p.decision is Decision.PENDING and round_.status is RoundStatus.PROPOSED:
            candidates[p.id] = await review.override_candidates(db, round_, p)
        if p.flagged_ineligible:
            _check, rules = await review.check_override(db, round_, p, p.household_id)
            flagged[p.id] = review.reasons_of(rules)
    deadline_days = (await policy_of(db, round_.agency_id)).default_deadline_days
    return Template(
        "matching/round.html",
        context={
            "round": round_,
            "view": view,
            "candidates": candidates,
            "flagged": flagged,
            "failed": failed or {},
            "status": STATUS,
            "decisions": DECISIONS,
            "D": Decision,
            "S": RoundStatus,
            "sendable": SENDABLE,
            "modes": MODES,
            "dimension_labels": DIMENSION_LABELS,
            "group_label": group_label,
            "percent": percent,
            "people": people,
            "default_deadline": (date.today() + timedelta(days=deadline_days)).isoformat(),
            "currency": await agency_currency(db, round_.agency_id),
        },
        status_code=400 if failed else 200,
    )


round_pages = [RoundsController]
