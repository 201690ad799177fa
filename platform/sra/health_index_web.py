"""The finance officer's health index page: ``/staff/health-index``.

One form enters or corrects a month (fields ``month`` as 2025-01 and ``value``); a second
imports a ``month,value`` CSV file (field ``file``), all lines or none.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.health_index import (
    LineError,
    import_csv,
    list_indices,
    month_error,
    parse_month,
    parse_value,
    set_index,
    value_error,
)
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.web.audit_trail import record_change
from sra.web.guards import AnyRequest, requires

MAX_CSV_BYTES = 200_000

audit.register_entity("health_index", fields={"month", "value", "months"})


async def _page(
    session: AsyncSession,
    status: int = 200,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    import_errors: list[LineError] | None = None,
    notice: str | None = None,
) -> Template:
    return Template(
        template_name="staff/health_index.html",
        status_code=status,
        context={
            "indices": await list_indices(session),
            "values": values or {},
            "errors": errors or {},
            "import_errors": import_errors or [],
            "notice": notice,
        },
    )


async def _record(request: AnyRequest, session: AsyncSession, action: str, after: Any) -> None:
    entity_id = after.get("month", "import")
    await record_change(
        request, session, action=action, entity="health_index", entity_id=entity_id, after=after
    )


class HealthIndexController(Controller):
    path = "/staff/health-index"
    guards = [requires(Role.FINANCE_OFFICER)]
    include_in_schema = False

    @get("/")
    async def show(
        self,
        db_session: NamedDependency[AsyncSession],
        month: FromQuery[str] = "",
        done: FromQuery[str] = "",
    ) -> Template:
        notices = {
            "saved": _("The index is saved."),
            "imported": _("The file is imported."),
        }
        values: dict[str, str] = {}
        chosen = parse_month(month) if month else None
        if chosen is not None:
            current = next((i for i in await list_indices(db_session) if i.month == chosen), None)
            values = {"month": chosen.strftime("%Y-%m")}
            if current is not None:
                values["value"] = str(current.value)
        return await _page(db_session, values=values, notice=notices.get(done))

    @post("/", status_code=303)
    async def save(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        form = await request.form()
        values = {name: str(form.get(name) or "").strip() for name in ("month", "value")}
        errors = {
            name: error
            for name, error in (
                ("month", month_error(values["month"])),
                ("value", value_error(values["value"])),
            )
            if error
        }
        if errors:
            return await _page(db_session, 400, values=values, errors=errors)
        month, value = parse_month(values["month"]), parse_value(values["value"])
        assert month is not None
        assert value is not None
        await set_index(db_session, month, value)
        await _record(request, db_session, "set", {"month": month.isoformat(), "value": str(value)})
        return Redirect("/staff/health-index?done=saved", status_code=303)

    @post("/import", status_code=303)
    async def import_file(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        form = await request.form()
        upload = form.get("file")
        problem = None
        text = ""
        if not isinstance(upload, UploadFile) or not upload.filename:
            problem = _("Please choose a CSV file.")
        else:
            raw = await upload.read(MAX_CSV_BYTES + 1)
            if len(raw) > MAX_CSV_BYTES:
                problem = _("The file is too large; an index file is a few kilobytes.")
            else:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    problem = _("The file is not a UTF-8 text file.")
        if problem:
            return await _page(db_session, 400, errors={"file": problem})
        count, line_errors = await import_csv(db_session, text)
        if line_errors:
            return await _page(
                db_session,
                400,
                errors={"file": _("Nothing was imported: correct the lines below.")},
                import_errors=line_errors,
            )
        await _record(request, db_session, "import", {"months": count})
        return Redirect("/staff/health-index?done=imported", status_code=303)


health_index_pages = [HealthIndexController]
