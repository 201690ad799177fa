"""Staff pages for offers (allocation officers): the list, one offer, and what happens next.

After a decline, an expiry or a withdrawal the unit is available again and the officer
chooses: offer it to the next best household that is still eligible (a person picks it from
the list), or leave it for the next round. Another agency's offer answers 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from matching import offer_followup, offers
from matching.offer_policy import policy_of
from matching.offer_queries import TO_DECIDE, offer_of_agency, offers_of_agency, offers_of_unit
from matching.offer_wording import DECLINE_REASONS, FOLLOW_UP, OFFER_STATUS
from matching.offers import Offer, OfferClosed, OfferStatus
from sra.i18n import gettext as _
from sra.identity.forms import Errors, field
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Household, Unit
from sra.register.queries import agency_currency
from sra.status_moves import TransitionNotAllowed
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

PATH = "/staff/offers"


def read_deadline(text: str, today: date) -> tuple[date | None, str | None]:
    if not text:
        return None, _("Please enter a date.")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None, _("Please enter a date as year-month-day, for example 2025-03-31.")
    if value <= today:
        return None, _("Please choose a day after today.")
    return value, None


def _already() -> str:
    return _("What happens next was already chosen for this offer.")


class OfferController(Controller):
    path = PATH
    guards = [requires(Role.ALLOCATION_OFFICER)]
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        status: FromQuery[str] = "",
    ) -> Template:
        user = caller(request)
        return Template(
            "matching/offers.html",
            context={
                "rows": await offers_of_agency(db_session, user.agency_id, status),
                "status": status,
                "statuses": [(s.value, OFFER_STATUS[s]) for s in OfferStatus],
                "to_decide": TO_DECIDE,
                "status_label": OFFER_STATUS,
                "currency": await agency_currency(db_session, user.agency_id),
            },
        )

    async def _found(
        self, request: AnyRequest, db: AsyncSession, offer_id: UUID
    ) -> tuple[Offer, Unit, Household]:
        found = await offer_of_agency(db, caller(request).agency_id, offer_id)
        if found is None:
            raise NotFoundException()
        return found

    async def _page(
        self,
        db: AsyncSession,
        found: tuple[Offer, Unit, Household],
        *,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> Template:
        offer, unit, household = found
        policy = await policy_of(db, offer.agency_id)
        today = date.today()
        decides = offer.awaits_follow_up
        return Template(
            "matching/offer.html",
            context={
                "offer": offer,
                "unit": unit,
                "household": household,
                "decides": decides,
                "candidates": await offer_followup.candidates(db, offer) if decides else [],
                "history": await offers_of_unit(db, unit.id),
                "default_deadline": today + timedelta(days=policy.default_deadline_days),
                "currency": await agency_currency(db, offer.agency_id),
                "status_label": OFFER_STATUS,
                "reasons": DECLINE_REASONS,
                "follow_up_label": FOLLOW_UP,
                "unit_status_label": labels.UNIT_STATUS,
                "values": values or {},
                "errors": errors or {},
                "alert": alert,
            },
            status_code=status_code,
        )

    @get("/{offer_id:uuid}")
    async def detail(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        offer_id: FromPath[UUID],
    ) -> Template:
        return await self._page(db_session, await self._found(request, db_session, offer_id))

    async def _conflict(
        self, request: AnyRequest, db: AsyncSession, offer_id: UUID, message: str
    ) -> Template:
        """Nothing of this request is kept; the page says why, as it stands now."""
        await db.rollback()
        found = await self._found(request, db, offer_id)
        return await self._page(db, found, alert=message, status_code=409)

    @post("/{offer_id:uuid}/next-household", status_code=303)
    async def next_household(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        offer_id: FromPath[UUID],
    ) -> Template | Redirect:
        found = await self._found(request, db_session, offer_id)
        if not found[0].awaits_follow_up:
            return await self._conflict(request, db_session, offer_id, _already())
        form = await request.form()
        values = {name: field(form, name) for name in ("household", "deadline")}
        errors: Errors = {}
        deadline, problem = read_deadline(values["deadline"], date.today())
        if problem:
            errors["deadline"] = problem
        chosen = await offer_followup.candidate(db_session, found[0], values["household"])
        if chosen is None:
            errors["household"] = _("Please choose a household from the list.")
        if errors or chosen is None or deadline is None:
            return await self._page(
                db_session, found, values=values, errors=errors, status_code=400
            )
        try:
            new = await offer_followup.offer_to_next(
                db_session,
                found[0],
                household_id=chosen.household.id,
                deadline=deadline,
                officer=caller(request),
                settings=request.app.state.settings,
            )
        except offer_followup.AlreadyFollowedUp:
            return await self._conflict(request, db_session, offer_id, _already())
        except (offers.OfferError, TransitionNotAllowed):
            message = _("The flat or the household is no longer free. Nothing was sent.")
            return await self._conflict(request, db_session, offer_id, message)
        return Redirect(f"{PATH}/{new.id}", status_code=303)

    @post("/{offer_id:uuid}/next-round", status_code=303)
    async def next_round(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        offer_id: FromPath[UUID],
    ) -> Template | Redirect:
        found = await self._found(request, db_session, offer_id)
        try:
            await offer_followup.leave_for_next_round(db_session, found[0], officer=caller(request))
        except offer_followup.AlreadyFollowedUp:
            return await self._conflict(request, db_session, offer_id, _already())
        return Redirect(f"{PATH}/{offer_id}", status_code=303)

    @post("/{offer_id:uuid}/withdraw", status_code=303)
    async def withdraw(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        offer_id: FromPath[UUID],
    ) -> Template | Redirect:
        found = await self._found(request, db_session, offer_id)
        try:
            await offers.withdraw(db_session, found[0], actor=caller(request))
        except OfferClosed:
            message = _("This offer has already been answered or is no longer open.")
            return await self._page(db_session, found, alert=message, status_code=409)
        return Redirect(f"{PATH}/{offer_id}", status_code=303)


offer_pages = [OfferController]
