"""The household register for staff: ``/staff/households`` (filters, pages) and its CSV export.

Allocation officers and caseworkers of the agency read it. A filter typed wrong re-renders the
page with status 400 and the error beside the field; the export then answers the same page.

The CSV holds, per household: reference, name, status, registered_on, adults, children,
members, urgency, support_need, wheelchair, step_free, ground_floor, max_rent, max_distance_km,
preferred_areas, verified_on. Never the free-text needs, contact details, incomes or
documents. Cells a spreadsheet would read as a formula are quoted (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.geo import geocoder_for
from sra.households import register_query
from sra.households.register_query import AreaCentre, RegisterCriteria, RegisterPage
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register import labels
from sra.register.models import Household, HouseholdStatus
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

REGISTER_READERS = requires(Role.ALLOCATION_OFFICER, Role.CASEWORKER)
CSV_COLUMNS = (
    "reference",
    "name",
    "status",
    "registered_on",
    "adults",
    "children",
    "members",
    "urgency",
    "support_need",
    "wheelchair",
    "step_free",
    "ground_floor",
    "max_rent",
    "max_distance_km",
    "preferred_areas",
    "verified_on",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

audit.register_entity("household_register", fields={"rows", "filters"})


def spreadsheet_safe(value: object) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _amount(cents: int | None) -> str:
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}"


def csv_row(household: Household) -> list[str]:
    cells: list[object] = [
        household.reference,
        household.name,
        household.status.value,
        household.registered_on.isoformat(),
        household.adults,
        household.children,
        household.size,
        household.urgency,
        household.support_need.value,
        "yes" if household.wheelchair else "no",
        "yes" if household.step_free else "no",
        "yes" if household.ground_floor else "no",
        _amount(household.max_rent_cents),
        "" if household.max_distance_km is None else f"{household.max_distance_km:g}",
        "; ".join(area.name for area in household.preferred_areas),
        household.verified_at.date().isoformat() if household.verified_at else "",
    ]
    return [spreadsheet_safe(cell) for cell in cells]


def register_csv(households: list[Household]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(h) for h in households)
    # A byte-order mark so spreadsheet programs read the names as UTF-8.
    return "\ufeff" + out.getvalue()


async def _criteria(
    request: AnyRequest, db: AsyncSession, user: CurrentUser
) -> tuple[RegisterCriteria, AreaCentre | None, dict[str, str], Errors]:
    criteria, values, errors = register_query.read_criteria(request.query_params)
    centre = None
    if not errors:
        geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
        centre, errors = await register_query.resolve_area(db, geocoder, user.agency_id, criteria)
    return criteria, centre, values, errors


def _page_number(request: AnyRequest) -> int:
    try:
        return max(int(request.query_params.get("page", "1")), 1)
    except ValueError:
        return 1


def _query(values: dict[str, str], **extra: object) -> str:
    pairs = {k: v for k, v in values.items() if v} | {k: v for k, v in extra.items() if v}
    return urlencode(pairs)


def _template(
    values: dict[str, str],
    errors: Errors,
    result: RegisterPage | None,
    centre: AreaCentre | None,
) -> Template:
    page = result.page if result else 1
    return Template(
        "households/register.html",
        context={
            "values": values,
            "errors": errors,
            "result": result,
            "centre": centre,
            "statuses": list(HouseholdStatus),
            "status_label": labels.HOUSEHOLD_STATUS,
            "support_label": labels.SUPPORT_NEED,
            "export_query": _query(values),
            "prev_query": _query(values, page=page - 1) if page > 1 else None,
            "next_query": (
                _query(values, page=page + 1) if result and page < result.pages else None
            ),
        },
        status_code=400 if errors else 200,
    )


@get("/staff/households", guards=[REGISTER_READERS], include_in_schema=False)
async def register_page(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    user = _caller(request)
    criteria, centre, values, errors = await _criteria(request, db_session, user)
    if errors:
        return _template(values, errors, None, centre)
    result = await register_query.search(
        db_session, user.agency_id, criteria, centre, page=_page_number(request)
    )
    return _template(values, errors, result, centre)


@get("/staff/households/export.csv", guards=[REGISTER_READERS], include_in_schema=False)
async def register_export(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Response[Any]:
    user = _caller(request)
    criteria, centre, values, errors = await _criteria(request, db_session, user)
    if errors:
        return _template(values, errors, None, centre)
    households = await register_query.all_matching(db_session, user.agency_id, criteria, centre)
    await _audit_export(db_session, user, user.agency_id, values, len(households))
    return Response(
        register_csv(households),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="households-{date.today()}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


async def _audit_export(
    db: AsyncSession, user: CurrentUser, agency_id: UUID | None, filters: dict[str, str], rows: int
) -> None:
    """A list of people leaving the platform: say who took it, with which filters."""
    await audit.record(
        db,
        actor_id=user.id,
        actor_label=user.display_name,
        action="household.register.export",
        entity="household_register",
        entity_id=str(agency_id),
        after={"rows": rows, "filters": {k: v for k, v in filters.items() if v}},
    )
    await db.flush()


register_pages = [register_page, register_export]
