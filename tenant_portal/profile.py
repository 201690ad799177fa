"""The household's needs profile, one page per section, forms that work without JavaScript.

``/tenant/profile`` shows every section, what is still missing and the "send" button; the
sections are ``members``, ``incomes``, ``needs``, ``areas``, ``situation`` and ``consent``.
Form fields: member ``first_name``, ``relation``, ``birth_year``; income ``source``, ``amount``;
needs ``wheelchair``, ``step_free``, ``ground_floor``, ``disability``, ``other_needs``; area
``place``; limits ``max_distance_km``, ``max_rent``; situation ``ethos_category``,
``displaced``, ``eviction_threat``, ``eviction_date``, ``current_rent``; ``consent``.

Only the signed-in household's own record is read; another household's row answers 404. A
wrong field re-renders the page with status 400 and nothing stored; a change the status does
not allow answers 409 with the reason.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.geo import geocoder_for
from sra.households import profile as service
from sra.households import profile_form as forms
from sra.households.facts import awaiting_reverification
from sra.households.profile import EditMode, ProfileLocked, edit_mode, find_row
from sra.households.status import TransitionNotAllowed, move_household
from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Agency, Household, HouseholdStatus
from sra.register.queries import agency_currency
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller
from tenant_portal.wording import HOUSEHOLD_STATUS_FOR_HOUSEHOLD, access_needs

Form = dict[str, Any]
# (request, session, household, form, extra page context) -> errors; saves only when none.
Saver = Callable[[AnyRequest, AsyncSession, Household, Form, dict[str, Any]], Awaitable[Errors]]
households_only = requires(Role.HOUSEHOLD)
SECTIONS = ("members", "incomes", "needs", "areas", "situation", "consent")
ROWS = ("members", "incomes")


async def own_household(request: AnyRequest, db: AsyncSession) -> Household:
    """The signed-in household's record; 404 while the account is not linked to one."""
    household = await service.own_household(db, caller(request).id)
    if household is None:
        raise NotFoundException()
    return household


def saved_notice(done: str) -> str | None:
    notices = {
        "saved": _("Saved."),
        "sent": _("Your application was sent. An officer will check it; we will tell you."),
        "withdrawn": _("Your application was withdrawn."),
        "reopened": _("Your application is open again: you can change it and send it."),
    }
    return notices.get(done)


async def render(
    db: AsyncSession,
    household: Household,
    section: str,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    alert: str | None = None,
    notice: str | None = None,
    status: int = 200,
    **extra: Any,
) -> Template:
    """One profile page; ``section`` "" is the overview (``tenant/profile.html``)."""
    mode = edit_mode(household)
    return Template(
        f"tenant/profile_{section}.html" if section else "tenant/profile.html",
        context={
            "household": household,
            "section": section,
            "mode": mode.value,
            "lock_reason": service.lock_of(household).message if mode is EditMode.LOCKED else "",
            "reverify": awaiting_reverification(household),
            "currency": await agency_currency(db, household.agency_id),
            "values": values or {},
            "errors": errors or {},
            "alert": alert
            or (
                _("Nothing was saved. Please correct the fields marked below.") if errors else None
            ),
            "notice": notice,
            "relation_label": labels.RELATION,
            "relations": forms.RELATIONS,
            "income_label": forms.INCOME_SOURCE,
            "ethos_label": forms.ETHOS,
            "ethos_choices": forms.ethos_choices(),
            "needs": access_needs(household),
            "status_label": labels.HOUSEHOLD_STATUS,
            "status_help": HOUSEHOLD_STATUS_FOR_HOUSEHOLD,
            "consent_purpose": forms.CONSENT_PURPOSE,
            **extra,
        },
        status_code=status,
    )


def section_of(request: AnyRequest) -> str:
    """``members`` from ``/tenant/profile/members/...``: one handler serves each section."""
    return request.url.path.split("/")[3]


async def save_section(
    request: AnyRequest, db: AsyncSession, section: str, save: Saver, **extra: Any
) -> Template | Redirect:
    """Check the status, read and save the form, back to the section's page; 409 when locked,
    400 with the errors beside the fields (nothing saved: services check before writing)."""
    household = await own_household(request, db)
    form: Form = dict(await request.form())
    try:
        if edit_mode(household) is EditMode.LOCKED:
            raise service.lock_of(household)
        errors = await save(request, db, household, form, extra)
    except ProfileLocked as locked:
        return await render(db, household, section, alert=locked.message, status=409, **extra)
    if errors:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return await render(
            db, household, section, values=values, errors=errors, status=400, **extra
        )
    page = section.removesuffix("_edit")
    return Redirect(f"/tenant/profile/{page}?done=saved", status_code=303)


@get("/tenant/profile", guards=[households_only])
async def profile_overview(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    household = await own_household(request, db_session)
    missing = await service.missing_for_submission(db_session, household)
    return await render(db_session, household, "", notice=saved_notice(done), missing=missing)


@get([f"/tenant/profile/{s}" for s in SECTIONS], guards=[households_only])
async def section_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    household = await own_household(request, db_session)
    values = forms.stored_values(household)
    return await render(
        db_session, household, section_of(request), values=values, notice=saved_notice(done)
    )


# --- the savers, one per form -----------------------------------------------------------------


def _row(rows: list[Any], row_id: UUID | None) -> Any:
    """The household's own row for ``row_id`` (None: a new one); 404 for anyone else's."""
    if row_id is None:
        return None
    row = find_row(rows, row_id)
    if row is None:
        raise NotFoundException()
    return row


def _row_saver(kind: str, row_id: UUID | None) -> Saver:
    """Add a member or an income (``row_id`` None) or change the household's own row."""
    read: dict[str, Callable[[Form], tuple[Any, Errors]]] = {
        "members": lambda form: forms.read_member(form, date.today()),
        "incomes": forms.read_income,
    }

    async def save(
        request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
    ) -> Errors:
        row = _row(service.rows_of(h, kind), row_id)
        new, errors = read[kind](form)
        if new is None:
            return errors
        return await service.save_row(db, h, kind, new, actor=caller(request), row=row)

    return save


async def _save_needs(
    request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
) -> Errors:
    needs, errors = forms.read_needs(form)
    if needs is not None:
        await service.save_fields(db, h, needs, "household.needs_saved", caller(request))
    return errors


async def _save_situation(
    request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
) -> Errors:
    situation, errors = forms.read_situation(form, date.today())
    if situation is not None:
        await service.save_fields(db, h, situation, "household.situation_saved", caller(request))
    return errors


async def _save_limits(
    request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
) -> Errors:
    limits, errors = forms.read_limits(form)
    if limits is not None:
        await service.save_fields(db, h, limits, "household.limits_saved", caller(request))
    return errors


async def _save_consent(
    request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
) -> Errors:
    await service.set_consent(db, h, bool(form.get("consent")), actor=caller(request))
    return {}


async def agency_country(db: AsyncSession, household: Household) -> str:
    return await db.scalar(select(Agency.country).where(Agency.id == household.agency_id)) or "BE"


async def _add_area(
    request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
) -> Errors:
    geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
    found = await forms.find_place(
        geocoder, await agency_country(db, h), str(form.get("place", ""))
    )
    if found.area is None:
        extra["alternatives"] = found.alternatives
        return {"place": found.error or ""}
    errors = await service.save_row(db, h, "areas", found.area, actor=caller(request))
    return {"place": errors["areas"]} if "areas" in errors else errors


SAVERS: dict[str, Saver] = {
    "members": _row_saver("members", None),
    "incomes": _row_saver("incomes", None),
    "needs": _save_needs,
    "situation": _save_situation,
    "consent": _save_consent,
    "areas": _add_area,
}


@post([f"/tenant/profile/{s}" for s in SECTIONS], guards=[households_only])
async def save_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    section = section_of(request)
    return await save_section(request, db_session, section, SAVERS[section])


@post("/tenant/profile/areas/limits", guards=[households_only])
async def save_limits(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    return await save_section(request, db_session, "areas", _save_limits)


@get([f"/tenant/profile/{s}/{{row_id:uuid}}" for s in ROWS], guards=[households_only])
async def row_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], row_id: FromPath[UUID]
) -> Template:
    section = section_of(request)
    household = await own_household(request, db_session)
    row = _row(service.rows_of(household, section), row_id)
    values = forms.row_values(row)
    return await render(db_session, household, f"{section}_edit", values=values, row=row)


@post([f"/tenant/profile/{s}/{{row_id:uuid}}" for s in ROWS], guards=[households_only])
async def change_row(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], row_id: FromPath[UUID]
) -> Template | Redirect:
    section = section_of(request)
    household = await own_household(request, db_session)
    row = _row(service.rows_of(household, section), row_id)
    saver = _row_saver(section, row_id)
    return await save_section(request, db_session, f"{section}_edit", saver, row=row)


@post(
    [f"/tenant/profile/{s}/{{row_id:uuid}}/delete" for s in (*ROWS, "areas")],
    guards=[households_only],
)
async def remove_row(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], row_id: FromPath[UUID]
) -> Template | Redirect:
    section = section_of(request)

    async def remove(
        request: AnyRequest, db: AsyncSession, h: Household, form: Form, extra: dict[str, Any]
    ) -> Errors:
        row = _row(service.rows_of(h, section), row_id)
        return await service.save_row(db, h, section, None, actor=caller(request), row=row)

    return await save_section(request, db_session, section, remove)


@get("/tenant/profile/areas/suggest", guards=[households_only])
async def suggest_places(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], place: FromQuery[str] = ""
) -> Template:
    """``<option>``s for the place field's datalist (htmx fills it while the person types)."""
    household = await own_household(request, db_session)
    geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
    wanted = place.strip()
    places = await geocoder.suggest(await agency_country(db_session, household), wanted)
    return Template("tenant/profile_place_options.html", context={"places": places})


# --- the application: send, withdraw, open again ----------------------------------------------


@post("/tenant/profile/submit", guards=[households_only])
async def send_application(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    household = await own_household(request, db_session)
    try:
        await service.send_application(db_session, household, actor=caller(request))
    except service.Incomplete as incomplete:
        alert = _("Your application is not complete yet. Please add what is listed below.")
        return await render(
            db_session, household, "", alert=alert, missing=incomplete.missing, status=400
        )
    except ProfileLocked as locked:
        missing = await service.missing_for_submission(db_session, household)
        return await render(
            db_session, household, "", alert=locked.message, missing=missing, status=409
        )
    return Redirect("/tenant/profile?done=sent", status_code=303)


@get("/tenant/profile/withdraw", guards=[households_only])
async def withdraw_page(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    household = await own_household(request, db_session)
    return await render(db_session, household, "withdraw")


@post("/tenant/profile/withdraw", guards=[households_only])
async def withdraw(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    """Only with the box ticked: the confirmation page is the one way here."""
    household = await own_household(request, db_session)
    if not (await request.form()).get("confirm"):
        errors = {"confirm": _("Please tick the box to confirm that you want to withdraw.")}
        return await render(db_session, household, "withdraw", errors=errors, status=400)
    return await _move(request, db_session, household, HouseholdStatus.WITHDRAWN, "withdrawn")


@post("/tenant/profile/reopen", guards=[households_only])
async def reopen(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    household = await own_household(request, db_session)
    return await _move(request, db_session, household, HouseholdStatus.DRAFT, "reopened")


async def _move(
    request: AnyRequest, db: AsyncSession, household: Household, to: HouseholdStatus, done: str
) -> Template | Redirect:
    try:
        await move_household(db, household, to, actor=caller(request))
    except TransitionNotAllowed:
        missing = await service.missing_for_submission(db, household)
        alert = _("This is not possible for your application in its current state.")
        return await render(db, household, "", alert=alert, missing=missing, status=409)
    return Redirect(f"/tenant/profile?done={done}", status_code=303)


profile_pages = [
    profile_overview,
    section_page,
    save_page,
    save_limits,
    row_page,
    change_row,
    remove_row,
    suggest_places,
    send_application,
    withdraw_page,
    withdraw,
    reopen,
]
