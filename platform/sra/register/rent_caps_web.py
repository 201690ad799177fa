"""The administrator's rent caps page: ``/admin/rent-caps``.

The form (fields ``unit_type``, ``bedrooms``, ``cap`` as an amount like 850.00, ``base_month``
as 2025-12) adds a cap or, for a unit type and bedroom count already configured, changes it.
Caps belong to the administrator's agency; another agency's cap id answers 404.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import month_error, parse_month
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.money import parse_cents
from sra.register.models import Agency
from sra.register.rent_caps import (
    MAX_BEDROOMS,
    UNIT_TYPE_LABELS,
    RentCap,
    UnitType,
    agency_cap,
    cap_for,
    list_caps,
    set_cap,
)
from sra.web.agency import callers_agency
from sra.web.audit_trail import record_change
from sra.web.guards import AnyRequest, requires

FIELDS = ("unit_type", "bedrooms", "cap", "base_month")


def _errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["unit_type"] not in {t.value for t in UnitType}:
        errors["unit_type"] = _("Please choose the type of dwelling.")
    bedrooms = values["bedrooms"]
    if not bedrooms.isdigit() or int(bedrooms) > MAX_BEDROOMS:
        errors["bedrooms"] = _("The bedroom count is a whole number from 0 to {n}.").format(
            n=MAX_BEDROOMS
        )
    cents = parse_cents(values["cap"])
    if cents is None or cents == 0:
        errors["cap"] = _("The cap is a monthly amount above zero, for example 850.00.")
    if error := month_error(values["base_month"]):
        errors["base_month"] = error
    return errors


async def _page(
    session: AsyncSession,
    agency: Agency,
    status: int = 200,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Template:
    today = date.today()
    caps = await list_caps(session, agency.id)
    rows = [
        (cap, await cap_for(session, agency.id, cap.unit_type, cap.bedrooms, today)) for cap in caps
    ]
    return Template(
        template_name="admin/rent_caps.html",
        status_code=status,
        context={
            "rows": rows,
            "currency": agency.currency,
            "unit_types": list(UnitType),
            "unit_type_labels": UNIT_TYPE_LABELS,
            "values": values or {"base_month": f"{today.year - 1}-12"},
            "errors": errors or {},
            "notice": notice,
            "today": today,
        },
    )


def _values_of(cap: RentCap) -> dict[str, str]:
    return {
        "unit_type": cap.unit_type.value,
        "bedrooms": str(cap.bedrooms),
        "cap": f"{cap.cap_cents // 100}.{cap.cap_cents % 100:02d}",
        "base_month": cap.base_month.strftime("%Y-%m"),
    }


class RentCapsController(Controller):
    path = "/admin/rent-caps"
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def show(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        edit: FromQuery[UUID | None] = None,
        done: FromQuery[str] = "",
    ) -> Template:
        agency = await callers_agency(request, db_session)
        values = None
        if edit is not None:
            cap = await agency_cap(db_session, agency.id, edit)
            if cap is None:
                raise NotFoundException()
            values = _values_of(cap)
        notices = {"saved": _("The rent cap is saved."), "deleted": _("The rent cap is removed.")}
        return await _page(db_session, agency, values=values, notice=notices.get(done))

    @post("/", status_code=303)
    async def save(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        agency = await callers_agency(request, db_session)
        form = await request.form()
        values = {name: str(form.get(name) or "").strip() for name in FIELDS}
        errors = _errors(values)
        if errors:
            return await _page(db_session, agency, 400, values=values, errors=errors)
        cap = await set_cap(
            db_session,
            agency.id,
            UnitType(values["unit_type"]),
            int(values["bedrooms"]),
            parse_cents(values["cap"]) or 0,
            parse_month(values["base_month"]) or date.today(),
        )
        await _record(request, db_session, "set", cap)
        return Redirect("/admin/rent-caps?done=saved", status_code=303)

    @post("/{cap_id:uuid}/delete", status_code=303)
    async def delete(
        self, request: AnyRequest, cap_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        agency = await callers_agency(request, db_session)
        cap = await agency_cap(db_session, agency.id, cap_id)
        if cap is None:
            raise NotFoundException()
        await _record(request, db_session, "delete", cap)
        await db_session.delete(cap)
        await db_session.flush()
        return Redirect("/admin/rent-caps?done=deleted", status_code=303)


async def _record(request: AnyRequest, session: AsyncSession, action: str, cap: RentCap) -> None:
    after = {
        name: getattr(cap, name) for name in ("unit_type", "bedrooms", "cap_cents", "base_month")
    }
    await record_change(
        request, session, action=action, entity="rent_cap", entity_id=cap.id, after=after
    )


rent_caps_pages = [RentCapsController]
