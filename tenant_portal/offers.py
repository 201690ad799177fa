"""``/tenant/offers``: the homes offered to the household, and its answer to each.

Only the signed-in household's own offers are read (by its user id); another household's
offer answers 404. Accepting lets the home and drafts the sublease, to be signed with the
agency; declining needs a reason from the list (with a few words for "another reason").
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.subleases import SUBLEASE_STATUS, draft_of_offer
from matching import offers
from matching.offer_policy import policy_of
from matching.offer_queries import offer_of_user, offers_of_user
from matching.offer_wording import DECLINE_REASONS, OFFER_STATUS
from matching.offers import Offer, OfferClosed, OfferStatus
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.register.models import Household, Unit
from sra.register.photos import photos_of
from sra.register.queries import agency_currency
from sra.status_moves import TransitionNotAllowed
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

HOUSEHOLDS = requires(Role.HOUSEHOLD)
PATH = "/tenant/offers"
# The household sees the home's photos while the offer is open, and once it is theirs.
SHOWS_PHOTOS = frozenset({OfferStatus.SENT, OfferStatus.ACCEPTED})


async def _own(
    request: AnyRequest, db: AsyncSession, offer_id: UUID
) -> tuple[Offer, Unit, Household]:
    found = await offer_of_user(db, _caller(request).id, offer_id)
    if found is None:
        raise NotFoundException()
    return found


@get(PATH, guards=[HOUSEHOLDS])
async def my_offers(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    rows = await offers_of_user(db_session, _caller(request).id)
    currency = await agency_currency(db_session, rows[0][2].agency_id) if rows else "EUR"
    return Template(
        "tenant/offers.html",
        context={"rows": rows, "currency": currency, "status_label": OFFER_STATUS},
    )


async def _page(
    db: AsyncSession,
    found: tuple[Offer, Unit, Household],
    *,
    done: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    alert: str | None = None,
    status_code: int = 200,
) -> Template:
    offer, unit, household = found
    policy = await policy_of(db, offer.agency_id)
    return Template(
        "tenant/offer.html",
        context={
            "offer": offer,
            "unit": unit,
            "open": offer.status is OfferStatus.SENT and offer.deadline >= date.today(),
            "photos": await photos_of(db, unit.id) if offer.status in SHOWS_PHOTOS else [],
            "sublease": await draft_of_offer(db, offer.id),
            "sublease_status": SUBLEASE_STATUS,
            "currency": await agency_currency(db, household.agency_id),
            "status_label": OFFER_STATUS,
            "reasons": DECLINE_REASONS,
            "penalty_rounds": policy.decline_penalty_rounds,
            "done": done,
            "values": values or {},
            "errors": errors or {},
            "alert": alert,
            "max_note": offers.MAX_NOTE,
        },
        status_code=status_code,
    )


@get(PATH + "/{offer_id:uuid}", guards=[HOUSEHOLDS])
async def my_offer(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    offer_id: FromPath[UUID],
    done: FromQuery[str] = "",
) -> Template:
    return await _page(db_session, await _own(request, db_session, offer_id), done=done)


def _closed_message(offer: Offer) -> str:
    if offer.status is OfferStatus.SENT:
        return _("The deadline for this offer has passed, so it can no longer be answered.")
    return _("This offer has already been answered or is no longer open.")


@post(PATH + "/{offer_id:uuid}/accept", guards=[HOUSEHOLDS], status_code=303)
async def accept(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], offer_id: FromPath[UUID]
) -> Template | Redirect:
    found = await _own(request, db_session, offer_id)
    try:
        await offers.accept(db_session, found[0], actor=_caller(request))
    except OfferClosed:
        return await _page(db_session, found, alert=_closed_message(found[0]), status_code=409)
    except TransitionNotAllowed:
        # The home was taken off the market meanwhile: nothing of this answer is kept.
        await db_session.rollback()
        found = await _own(request, db_session, offer_id)
        message = _("This home is no longer available. The agency will contact you.")
        return await _page(db_session, found, alert=message, status_code=409)
    return Redirect(f"{PATH}/{offer_id}?done=accepted", status_code=303)


@post(PATH + "/{offer_id:uuid}/decline", guards=[HOUSEHOLDS], status_code=303)
async def decline(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], offer_id: FromPath[UUID]
) -> Template | Redirect:
    found = await _own(request, db_session, offer_id)
    form = await request.form()
    values = {
        name: value.strip() if isinstance(value := form.get(name), str) else ""
        for name in ("reason", "note")
    }
    errors = offers.decline_problems(values["reason"], values["note"])
    if errors:
        return await _page(db_session, found, values=values, errors=errors, status_code=400)
    try:
        await offers.decline(
            db_session,
            found[0],
            reason=values["reason"],
            note=values["note"],
            actor=_caller(request),
        )
    except OfferClosed:
        return await _page(db_session, found, alert=_closed_message(found[0]), status_code=409)
    return Redirect(f"{PATH}/{offer_id}?done=declined", status_code=303)


offer_pages = [my_offers, my_offer, accept, decline]
