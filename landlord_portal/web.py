"""The landlord dashboard: each unit's status in plain words, its lease, guaranteed rent and next
payout, and the latest notifications. Only the signed-in landlord's own records are queried."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import LEASE_STATUS
from landlord_portal.dashboard import unit_lines
from landlord_portal.wording import UNIT_STATUS_FOR_LANDLORD
from sra.identity.roles import Role
from sra.notifications import latest
from sra.register import labels
from sra.register.models import UnitStatus
from sra.register.queries import agency_currency, buildings_of_landlord, landlord_of_user
from sra.web.guards import current_user, requires

# Units whose rent the agency pays the landlord: an agreed guaranteed rent is in force or next.
GUARANTEED = (UnitStatus.APPROVED, UnitStatus.AVAILABLE, UnitStatus.OFFERED, UnitStatus.LET)
NOTIFICATIONS_SHOWN = 5


@get("/landlord", guards=[requires(Role.LANDLORD)])
async def landlord_home(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template:
    user = current_user(request)
    assert user is not None  # the guard let a signed-in landlord through
    notifications = await latest(db_session, user.id, limit=NOTIFICATIONS_SHOWN)
    landlord = await landlord_of_user(db_session, user.id)
    if landlord is None:
        return Template(
            "landlord/home.html", context={"landlord": None, "notifications": notifications}
        )
    buildings = await buildings_of_landlord(db_session, landlord.id)
    units = [unit for building in buildings for unit in building.units]
    lines = await unit_lines(db_session, landlord.id, units, date.today())
    return Template(
        "landlord/home.html",
        context={
            "landlord": landlord,
            "buildings": buildings,
            "lines": {line.unit.id: line for line in lines},
            "unit_count": len(units),
            "guaranteed_total": sum(
                u.guaranteed_rent_cents or 0 for u in units if u.status in GUARANTEED
            ),
            "currency": await agency_currency(db_session, landlord.agency_id),
            "status_label": labels.UNIT_STATUS,
            "status_help": UNIT_STATUS_FOR_LANDLORD,
            "kind_label": labels.LANDLORD_KIND,
            "lease_label": LEASE_STATUS,
            "notifications": notifications,
        },
    )


landlord_pages = [landlord_home]
