"""Staff pages for intake officers: the queue, the inspection calendar, one unit's intake.

Another agency's unit answers 404. Each form re-renders the unit page with status 400 and the
error beside the field, storing nothing, when its input is wrong.
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

from sra.files import FileStore
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register import form_values, intake, labels
from sra.register.inspection import (
    CHECK_ITEMS,
    CHECK_RESULT,
    ENERGY_LABELS,
    PHOTO_KIND,
    InspectionReport,
    latest_report,
    open_report,
    photos_of,
)
from sra.register.inspection_form import FORM_MAX_BYTES, read_checklist, read_photos
from sra.register.models import Unit, UnitStatus
from sra.register.queries import agency_currency
from sra.register.rent_caps import UNIT_TYPE_LABELS, cap_for_unit
from sra.register.unit_status import TransitionNotAllowed, history
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller
from sra.web.templating import money

ACCESSIBILITY = {"step_free": "Step-free access", "wheelchair": "Wheelchair accessible"}


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _unit(db: AsyncSession, user: CurrentUser, unit_id: UUID) -> Unit:
    unit = await intake.unit_for_staff(db, user.agency_id, unit_id)
    if unit is None:
        raise NotFoundException()
    return unit


async def _posted(
    request: AnyRequest, db: AsyncSession, unit_id: UUID, *names: str
) -> tuple[CurrentUser, Unit, dict[str, str]]:
    """The officer, their agency's unit (404 otherwise) and the form's ``names``, trimmed."""
    user = _caller(request)
    unit = await _unit(db, user, unit_id)
    form = await request.form()
    return user, unit, {k: _text(form, k) for k in names}


def _read_filter(query: Any) -> tuple[intake.QueueFilter, dict[str, str], Errors]:
    values = {k: (query.get(k) or "").strip() for k in ("status", "municipality", "bedrooms")}
    values |= {k: (query.get(k) or "").strip() for k in ("accessibility", "q")}
    errors: Errors = {}
    status = values["status"] if "status" in query else "intake"
    if status not in ("", "intake", *(s.value for s in UnitStatus)):
        errors["status"] = _("Please choose a status from the list.")
        status = "intake"
    bedrooms = None
    if values["bedrooms"]:
        bedrooms, error = form_values.whole_number(values["bedrooms"], low=0, high=20)
        if error:
            errors["bedrooms"] = error
    access = values["accessibility"] if values["accessibility"] in ACCESSIBILITY else ""
    wanted = intake.QueueFilter(
        status=status,
        municipality=values["municipality"],
        bedrooms=bedrooms,
        accessibility=access,
        text=values["q"][:100],
    )
    values["status"] = status
    return wanted, values, errors


class IntakeController(Controller):
    path = "/staff/intake"
    guards = [requires(Role.INTAKE_OFFICER)]
    include_in_schema = False

    @get("/")
    async def queue(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = _caller(request)
        wanted, values, errors = _read_filter(request.query_params)
        rows = await intake.intake_queue(db_session, user.agency_id, wanted)
        return Template(
            "intake/queue.html",
            context={
                "rows": rows,
                "values": values,
                "errors": errors,
                "statuses": list(UnitStatus),
                "status_label": labels.UNIT_STATUS,
                "municipalities": await intake.municipalities(db_session, user.agency_id),
                "accessibility": ACCESSIBILITY,
                "currency": await agency_currency(db_session, user.agency_id),
                "limit": intake.QUEUE_LIMIT,
            },
            status_code=400 if errors else 200,
        )

    @get("/calendar")
    async def calendar(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = _caller(request)
        try:
            monday = intake.week_of(date.fromisoformat(request.query_params.get("week", "")))
        except ValueError:
            monday = intake.week_of(date.today())
        days = await intake.calendar_week(db_session, user.agency_id, monday)
        return Template(
            "intake/calendar.html",
            context={
                "days": days,
                "monday": monday,
                "previous": monday - timedelta(days=7),
                "next": monday + timedelta(days=7),
                "today": date.today(),
            },
        )

    @get("/units/{unit_id:uuid}")
    async def unit_page(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Template:
        user = _caller(request)
        unit = await _unit(db_session, user, unit_id)
        return await _unit_template(db_session, user, unit)

    @post("/units/{unit_id:uuid}/schedule")
    async def schedule(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Response[Any]:
        user, unit, values = await _posted(request, db_session, unit_id, "on", "at", "inspector")
        errors: Errors = {}
        on, error = form_values.day(values["on"], not_before=date.today())
        if error:
            errors["on"] = error
        at, error = form_values.clock(values["at"])
        if error:
            errors["at"] = error
        allowed = {str(u.id): u.id for u in await intake.inspectors(db_session, user.agency_id)}
        if values["inspector"] not in allowed:
            errors["inspector"] = _("Please choose who will visit the flat.")
        if errors or on is None or at is None:
            return await _unit_template(db_session, user, unit, schedule=(values, errors))
        try:
            await intake.schedule_inspection(
                db_session,
                unit,
                on=on,
                at=at,
                inspector_id=allowed[values["inspector"]],
                actor=user,
            )
        except TransitionNotAllowed:
            errors["on"] = _("A visit can be planned only for a flat that was submitted.")
            return await _unit_template(db_session, user, unit, schedule=(values, errors))
        return Redirect(f"/staff/intake/units/{unit.id}", status_code=303)

    @get("/units/{unit_id:uuid}/inspection")
    async def checklist_form(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Template:
        user = _caller(request)
        unit = await _unit(db_session, user, unit_id)
        report = await _open_report(db_session, unit)
        values = {"energy_label": unit.energy_label or ""}
        return _checklist_template(unit, report, values, {})

    @post("/units/{unit_id:uuid}/inspection", request_max_body_size=FORM_MAX_BYTES)
    async def record(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Response[Any]:
        user = _caller(request)
        unit = await _unit(db_session, user, unit_id)
        report = await _open_report(db_session, unit)
        form = await request.form()
        checklist, values, errors = read_checklist(form)
        photos, photo_error = await read_photos(form)
        if photo_error:
            errors["photos"] = photo_error
        if errors or checklist is None:
            return _checklist_template(unit, report, values, errors, status=400)
        store = FileStore.from_settings(request.app.state.settings)
        for photo in photos:
            await store.save(
                db_session,
                data=photo.data,
                filename=photo.filename,
                content_type="image/jpeg",
                owner_kind=PHOTO_KIND,
                owner_id=str(report.id),
                uploaded_by=user.id,
            )
        await intake.record_inspection(db_session, unit, report, checklist, actor=user)
        return Redirect(f"/staff/intake/units/{unit.id}", status_code=303)

    @post("/units/{unit_id:uuid}/location")
    async def locate(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Response[Any]:
        user, unit, values = await _posted(request, db_session, unit_id, "lat", "lon")
        errors: Errors = {}
        lat, error = form_values.number(values["lat"], low=-90, high=90, required=True)
        if error:
            errors["lat"] = error
        lon, error = form_values.number(values["lon"], low=-180, high=180, required=True)
        if error:
            errors["lon"] = error
        if errors or lat is None or lon is None:
            return await _unit_template(db_session, user, unit, location=(values, errors))
        await intake.place_building(db_session, unit.building, lat=lat, lon=lon, actor=user)
        return Redirect(f"/staff/intake/units/{unit.id}", status_code=303)

    @post("/units/{unit_id:uuid}/approve")
    async def approve(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Response[Any]:
        user, unit, values = await _posted(
            request, db_session, unit_id, "guaranteed_rent", "tenant_rent"
        )
        errors: Errors = {}
        guaranteed, error = form_values.cents(values["guaranteed_rent"])
        if error:
            errors["guaranteed_rent"] = error
        tenant, error = form_values.cents(values["tenant_rent"])
        if error:
            errors["tenant_rent"] = error
        if unit.status is not UnitStatus.INSPECTED:
            errors["approve"] = _("Only an inspected flat can be approved.")
        if errors or guaranteed is None or tenant is None:
            return await _unit_template(db_session, user, unit, approve=(values, errors))
        try:
            await intake.approve(
                db_session,
                unit,
                guaranteed_rent_cents=guaranteed,
                tenant_rent_cents=tenant,
                actor=user,
            )
        except intake.AboveRentCap as above:
            currency = await agency_currency(db_session, unit.building.landlord.agency_id)
            errors["guaranteed_rent"] = _(
                "This is above the rent cap for this kind of home: the agency guarantees at "
                "most {cap} per month."
            ).format(cap=money(above.cap_cents, currency))
            return await _unit_template(db_session, user, unit, approve=(values, errors))
        return Redirect(f"/staff/intake/units/{unit.id}", status_code=303)

    @post("/units/{unit_id:uuid}/reject")
    async def reject(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        unit_id: FromPath[UUID],
    ) -> Response[Any]:
        user, unit, values = await _posted(request, db_session, unit_id, "reason")
        errors: Errors = {}
        if not values["reason"]:
            errors["reason"] = _("Please give the reason: the landlord will read it.")
        elif len(values["reason"]) > 2000:
            errors["reason"] = _("The reason can be at most 2000 characters long.")
        if not errors:
            try:
                await intake.reject(db_session, unit, reason=values["reason"], actor=user)
            except TransitionNotAllowed:
                errors["reason"] = _("This flat cannot be rejected in its present status.")
        if errors:
            return await _unit_template(db_session, user, unit, reject=(values, errors))
        return Redirect(f"/staff/intake/units/{unit.id}", status_code=303)


async def _open_report(db: AsyncSession, unit: Unit) -> InspectionReport:
    report = await open_report(db, unit.id)
    if unit.status is not UnitStatus.INSPECTION_SCHEDULED or report is None:
        # No visit to record for this unit now: the page does not exist.
        raise NotFoundException()
    return report


def _checklist_template(
    unit: Unit,
    report: InspectionReport,
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
) -> Template:
    return Template(
        "intake/inspection.html",
        context={
            "unit": unit,
            "report": report,
            "values": values,
            "errors": errors,
            "items": CHECK_ITEMS,
            "results": CHECK_RESULT,
            "energy_labels": ENERGY_LABELS,
        },
        status_code=status,
    )


async def _unit_template(
    db: AsyncSession,
    user: CurrentUser,
    unit: Unit,
    **failed: tuple[dict[str, str], Errors],
) -> Template:
    """The unit's intake page; ``failed`` names the one form whose input was refused."""
    report = await latest_report(db, unit.id)
    forms = {name: {"values": v, "errors": e} for name, (v, e) in failed.items()}
    return Template(
        "intake/unit.html",
        context={
            "unit": unit,
            "building": unit.building,
            "landlord": unit.building.landlord,
            "report": report,
            "photos": await photos_of(db, report.id) if report else [],
            "moves": await history(db, unit.id),
            "inspectors": await intake.inspectors(db, user.agency_id),
            "forms": forms,
            "status_label": labels.UNIT_STATUS,
            "items": CHECK_ITEMS,
            "results": CHECK_RESULT,
            "currency": await agency_currency(db, user.agency_id),
            "rent_cap": await cap_for_unit(db, unit.building.landlord.agency_id, unit),
            "unit_type_label": UNIT_TYPE_LABELS,
            "today": date.today(),
            "S": UnitStatus,
        },
        status_code=400 if failed else 200,
    )


@get("/staff/units/available", guards=[requires(Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER)])
async def available_units(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template:
    user = _caller(request)
    return Template(
        "intake/available.html",
        context={
            "units": await intake.available_units(db_session, user.agency_id),
            "currency": await agency_currency(db_session, user.agency_id),
            "can_open": user.role is Role.INTAKE_OFFICER,
        },
    )


intake_pages = [IntakeController, available_units]
