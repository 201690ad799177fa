"""Staff pages for verifying households: the queue, one household's page and its decisions.

Allocation officers see the documents and take the decisions; caseworkers read the household
page without documents and without actions. Another agency's household answers 404. A refused
decision re-renders the household page with status 400, the error beside the field, and
nothing stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files import StoredFile
from sra.households import verification
from sra.households.documents import DocumentKind, HouseholdDocument
from sra.households.facts import awaiting_reverification, facts_of, verified_facts
from sra.households.messages import messages_of
from sra.households.status import history
from sra.households.verification import CHECK_ITEMS, VerificationRefused, checklist_from
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Household, IncomeSource, SupportNeed
from sra.register.queries import agency_currency
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

OFFICERS = requires(Role.ALLOCATION_OFFICER)
READERS = requires(Role.ALLOCATION_OFFICER, Role.CASEWORKER)

DOCUMENT_KIND: dict[DocumentKind, str] = {
    DocumentKind.IDENTITY: lazy("Identity document"),
    DocumentKind.INCOME: lazy("Proof of income"),
    DocumentKind.SITUATION: lazy("Evidence of the situation"),
    DocumentKind.OTHER: lazy("Other document"),
}
INCOME_SOURCE: dict[IncomeSource, str] = {
    IncomeSource.WORK: lazy("Work"),
    IncomeSource.BENEFITS: lazy("Social benefits"),
    IncomeSource.UNEMPLOYMENT: lazy("Unemployment benefit"),
    IncomeSource.PENSION: lazy("Pension"),
    IncomeSource.DISABILITY_ALLOWANCE: lazy("Disability allowance"),
    IncomeSource.CHILD_BENEFIT: lazy("Child benefit"),
    IncomeSource.MAINTENANCE: lazy("Maintenance"),
    IncomeSource.OTHER: lazy("Other income"),
}
# The facts the points read, as the officer compares them (declared now / as verified).
FACT_LABELS: dict[str, str] = {
    "adults": lazy("Adults"),
    "children": lazy("Children"),
    "monthly_income_cents": lazy("Income per month"),
    "ethos_category": lazy("ETHOS category"),
    "displaced": lazy("Displaced"),
    "eviction_notice": lazy("Eviction notice or threat"),
    "current_rent_cents": lazy("Current rent per month"),
    "disability": lazy("Disability"),
    "local_tie": lazy("Local tie"),
}


async def _household(db: AsyncSession, user: CurrentUser, household_id: UUID) -> Household:
    household = await verification.household_for_staff(db, user.agency_id, household_id)
    if household is None:
        raise NotFoundException()
    return household


async def _documents(
    db: AsyncSession, household: Household
) -> list[tuple[HouseholdDocument, StoredFile]]:
    rows = await db.execute(
        select(HouseholdDocument, StoredFile)
        .join(StoredFile, StoredFile.id == HouseholdDocument.file_id)
        .where(HouseholdDocument.household_id == household.id)
        .order_by(HouseholdDocument.kind, HouseholdDocument.created_at)
    )
    return [(document, stored) for document, stored in rows.tuples()]


def _fact_rows(household: Household) -> list[tuple[str, Any, Any]]:
    now = facts_of(household)
    verified = verified_facts(household)
    return [
        (name, getattr(now, name), getattr(verified, name) if verified else None)
        for name in FACT_LABELS
    ]


async def _page(
    db: AsyncSession,
    user: CurrentUser,
    household: Household,
    **failed: tuple[dict[str, str], Errors],
) -> Template:
    """The household page; ``failed`` names the one form whose input was refused."""
    officer = user.role is Role.ALLOCATION_OFFICER
    return Template(
        "households/household.html",
        context={
            "household": household,
            "officer": officer,
            "documents": await _documents(db, household) if officer else [],
            "moves": await history(db, household.id),
            "messages": await messages_of(db, household.id),
            "decisions": await verification.verifications_of(db, household.id),
            "facts": _fact_rows(household),
            "changed": awaiting_reverification(household),
            "can_verify": officer and verification.can_verify(household),
            "can_ask": officer and verification.can_ask(household),
            "can_reject": officer and verification.can_reject(household),
            "forms": {name: {"values": v, "errors": e} for name, (v, e) in failed.items()},
            "check_items": CHECK_ITEMS,
            "fact_labels": FACT_LABELS,
            "status_label": labels.HOUSEHOLD_STATUS,
            "support_label": labels.SUPPORT_NEED,
            "relation_label": labels.RELATION,
            "income_label": INCOME_SOURCE,
            "document_label": DOCUMENT_KIND,
            "support_needs": list(SupportNeed),
            "currency": await agency_currency(db, household.agency_id),
            "this_year": date.today().year,
        },
        status_code=400 if failed else 200,
    )


async def _decision_form(
    request: AnyRequest, db: AsyncSession, household_id: UUID
) -> tuple[CurrentUser, Household, dict[str, bool], dict[str, str]]:
    user = _caller(request)
    household = await _household(db, user, household_id)
    form = await request.form()
    checklist = checklist_from(name for name in CHECK_ITEMS if form.get(f"check_{name}"))
    note = form.get("note")
    values = {"note": note.strip() if isinstance(note, str) else ""}
    values |= {f"check_{name}": "yes" for name, ticked in checklist.items() if ticked}
    return user, household, checklist, values


async def _decide(
    request: AnyRequest,
    db: AsyncSession,
    household_id: UUID,
    decision: Callable[..., Awaitable[object]],
    note_as: str,
) -> Response[Any]:
    """Take ``decision`` (verify, reject, ask) from the household page's form, its note given
    as the keyword ``note_as``; a refusal shows the page again with the errors beside the
    fields, and nothing is stored."""
    user, household, checklist, values = await _decision_form(request, db, household_id)
    try:
        await decision(
            db, household, officer=user, checklist=checklist, **{note_as: values["note"]}
        )
    except VerificationRefused as refused:
        return await _page(db, user, household, decision=(values, refused.errors))
    return _back(household)


def _back(household: Household) -> Redirect:
    return Redirect(f"/staff/households/{household.id}", status_code=303)


class VerificationController(Controller):
    path = "/staff/households"
    include_in_schema = False

    @get("/verification", guards=[OFFICERS])
    async def queue(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = _caller(request)
        return Template(
            "households/verification_queue.html",
            context={
                "rows": await verification.verification_queue(db_session, user.agency_id),
                "status_label": labels.HOUSEHOLD_STATUS,
            },
        )

    @get("/{household_id:uuid}", guards=[READERS])
    async def household_page(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
    ) -> Template:
        user = _caller(request)
        return await _page(db_session, user, await _household(db_session, user, household_id))

    @post("/{household_id:uuid}/request-information", guards=[OFFICERS])
    async def request_information(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
    ) -> Response[Any]:
        return await _decide(
            request, db_session, household_id, verification.request_information, "message"
        )

    @post("/{household_id:uuid}/verify", guards=[OFFICERS])
    async def verify(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
    ) -> Response[Any]:
        return await _decide(request, db_session, household_id, verification.verify, "note")

    @post("/{household_id:uuid}/reject", guards=[OFFICERS])
    async def reject(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
    ) -> Response[Any]:
        return await _decide(request, db_session, household_id, verification.reject, "reason")

    @post("/{household_id:uuid}/support-need", guards=[OFFICERS])
    async def support_need(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
    ) -> Response[Any]:
        user = _caller(request)
        household = await _household(db_session, user, household_id)
        chosen = (await request.form()).get("support_need")
        values = {"support_need": chosen if isinstance(chosen, str) else ""}
        try:
            need = SupportNeed(values["support_need"])
        except ValueError:
            errors = {"support_need": _("Please choose a level of support from the list.")}
            return await _page(db_session, user, household, support=(values, errors))
        await verification.set_support_need(db_session, household, need, officer=user)
        return _back(household)


verification_pages = [VerificationController]
