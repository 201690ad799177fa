"""The finance officer's page: requested bank account changes, approved or rejected."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.payout_accounts import (
    ChangeNotAllowed,
    changes_to_decide,
    decide,
    formatted_iban,
    recent_decisions,
)
from contracts.staff_scope import agency_id_of
from sra.i18n import gettext as _
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

PATH = "/staff/payout-accounts"


async def _page(
    request: AnyRequest,
    db_session: AsyncSession,
    *,
    notice: str | None = None,
    alert: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    agency_id = await agency_id_of(db_session, caller(request))
    return Template(
        "contracts/payout_accounts.html",
        context={
            "pending": await changes_to_decide(db_session, agency_id),
            "decided": await recent_decisions(db_session, agency_id),
            "formatted_iban": formatted_iban,
            "notice": notice,
            "alert": alert,
            "errors": errors or {},
        },
        status_code=status,
    )


class PayoutAccountsController(Controller):
    path = PATH
    guards = [requires(Role.FINANCE_OFFICER)]
    include_in_schema = False

    @get("/")
    async def changes(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        done: FromQuery[str] = "",
    ) -> Template:
        notices = {
            "approved": _("The change is approved: the next payouts go to the new account."),
            "rejected": _("The change is rejected: payouts keep going to the current account."),
        }
        return await _page(request, db_session, notice=notices.get(done))

    @post("/{change_id:uuid}/approve")
    async def approve(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        change_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._decide(request, db_session, change_id, approve=True, reason="")

    @post("/{change_id:uuid}/reject")
    async def reject(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        change_id: FromPath[UUID],
    ) -> Response[Any]:
        form = await request.form()
        reason = field(form, "reason")
        if not reason or len(reason) > 1000:
            errors = {
                f"reason-{change_id}": _(
                    "Please write the reason in at most 1000 characters: the landlord reads it."
                )
            }
            return await _page(request, db_session, errors=errors, status=400)
        return await self._decide(request, db_session, change_id, approve=False, reason=reason)

    async def _decide(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        change_id: UUID,
        *,
        approve: bool,
        reason: str,
    ) -> Response[Any]:
        user = caller(request)
        try:
            change = await decide(
                db_session,
                await agency_id_of(db_session, user),
                change_id,
                approve=approve,
                reason=reason,
                actor=user,
                ip_address=request.client.host if request.client else None,
            )
        except ChangeNotAllowed:
            alert = _("This change was already decided.")
            return await _page(request, db_session, alert=alert, status=409)
        if change is None:
            raise NotFoundException()
        return Redirect(f"{PATH}?done={'approved' if approve else 'rejected'}", status_code=303)


payout_account_pages = [PayoutAccountsController]
