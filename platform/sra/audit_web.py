"""The audit log for administrators: ``/admin/audit`` (page) and ``GET /api/v1/audit`` (JSON).

Both take the same filters: actor (a user id, or part of the name shown), entity, entity id,
action, a date range (``from``/``to``, inclusive, UTC days) and a page number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.i18n import gettext as _
from sra.identity.roles import Role
from sra.web.guards import requires

PER_PAGE = 50
MAX_PER_PAGE = 200

administrators_only = requires(Role.ADMINISTRATOR)


class AuditFilter(msgspec.Struct, kw_only=True):
    actor: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def query_string(self, **extra: object) -> str:
        pairs = {
            "actor": self.actor,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "action": self.action,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            **extra,
        }
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


class AuditEntryOut(msgspec.Struct):
    id: UUID
    created_at: datetime
    actor_id: UUID | None
    actor_label: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ip_address: str | None


class AuditPage(msgspec.Struct):
    items: list[AuditEntryOut]
    page: int
    per_page: int
    total: int


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(criteria: AuditFilter) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    if criteria.actor:
        try:
            query = query.where(AuditEntry.actor_id == UUID(criteria.actor))
        except ValueError:
            query = query.where(AuditEntry.actor_label.ilike(f"%{criteria.actor}%"))
    if criteria.entity:
        query = query.where(AuditEntry.entity == criteria.entity)
    if criteria.entity_id:
        query = query.where(AuditEntry.entity_id == criteria.entity_id)
    if criteria.action:
        query = query.where(AuditEntry.action == criteria.action)
    if criteria.date_from:
        query = query.where(AuditEntry.created_at >= _day_start(criteria.date_from))
    if criteria.date_to:
        query = query.where(AuditEntry.created_at < _day_start(criteria.date_to + timedelta(1)))
    return query


async def search(
    session: AsyncSession, criteria: AuditFilter, page: int, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of matching entries, newest first."""
    query = filtered(criteria)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [
        AuditEntryOut(
            id=e.id,
            created_at=e.created_at,
            actor_id=e.actor_id,
            actor_label=e.actor_label,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            before=e.before,
            after=e.after,
            ip_address=e.ip_address,
        )
        for e in rows
    ]
    return AuditPage(items=items, page=page, per_page=per_page, total=total)


def parse_form(params: Mapping[str, str]) -> tuple[AuditFilter, int, dict[str, str]]:
    """Read the page's filter form; a bad date is reported beside its field, not a 400."""
    errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for field in ("from", "to"):
        raw = params.get(field, "").strip()
        dates[field] = None
        if raw:
            try:
                dates[field] = date.fromisoformat(raw)
            except ValueError:
                errors[field] = _("Enter a date as YYYY-MM-DD.")
    try:
        page = max(int(params.get("page", "1")), 1)
    except ValueError:
        page = 1
    criteria = AuditFilter(
        actor=params.get("actor", "").strip() or None,
        entity=params.get("entity", "").strip() or None,
        entity_id=params.get("entity_id", "").strip() or None,
        action=params.get("action", "").strip() or None,
        date_from=dates["from"],
        date_to=dates["to"],
    )
    return criteria, page, errors


@get("/admin/audit", guards=[administrators_only], include_in_schema=False)
async def audit_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    criteria, page, errors = parse_form(dict(request.query_params))
    result = (
        AuditPage(items=[], page=1, per_page=PER_PAGE, total=0)
        if errors
        else await search(db_session, criteria, page)
    )
    pages = max(math.ceil(result.total / PER_PAGE), 1)
    return Template(
        "admin/audit.html",
        context={
            "criteria": criteria,
            "raw": request.query_params,
            "errors": errors,
            "result": result,
            "pages": pages,
            "prev_query": criteria.query_string(page=page - 1) if page > 1 else None,
            "next_query": criteria.query_string(page=page + 1) if page < pages else None,
        },
        status_code=400 if errors else 200,
    )


@get("/audit", guards=[administrators_only], tags=["audit"], summary="Search the audit log")
async def audit_api(
    db_session: NamedDependency[AsyncSession],
    actor: FromQuery[str | None] = None,
    entity: FromQuery[str | None] = None,
    entity_id: FromQuery[str | None] = None,
    action: FromQuery[str | None] = None,
    date_from: Annotated[date | None, QueryParameter(name="from")] = None,
    date_to: Annotated[date | None, QueryParameter(name="to")] = None,
    page: Annotated[int, QueryParameter(ge=1)] = 1,
    per_page: Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> AuditPage:
    """Audit entries, newest first. ``actor`` is a user id or part of the name shown."""
    criteria = AuditFilter(
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        date_from=date_from,
        date_to=date_to,
    )
    return await search(db_session, criteria, page, per_page)


audit_pages = [audit_page]
audit_api_handlers = [audit_api]
