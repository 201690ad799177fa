"""What the landlord dashboard shows per unit: status, lease, guaranteed rent, next payout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import HeadLease, LeaseStatus, leases_of_landlord
from sra.register.models import Unit

PAYOUT_DAY = 5


def next_payout_date(today: date, lease_start: date) -> date:
    """The next 5th of a month on which the agency pays a month's rent it owes.

    A month's rent is paid on the 5th of the month after it, so the first payout is on the
    5th of the month after the lease starts; after that, the next 5th still to come.
    """
    base = max(today, lease_start)
    month_started_before = lease_start < base.replace(day=1)
    if base.day < PAYOUT_DAY and month_started_before:
        return base.replace(day=PAYOUT_DAY)
    year, month = (base.year + 1, 1) if base.month == 12 else (base.year, base.month + 1)
    return date(year, month, PAYOUT_DAY)


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    lease: HeadLease | None
    next_payout: date | None


async def unit_lines(
    session: AsyncSession, landlord_id: UUID, units: list[Unit], today: date
) -> list[UnitLine]:
    latest: dict[UUID, HeadLease] = {}
    for lease in await leases_of_landlord(session, landlord_id):  # newest first
        latest.setdefault(lease.unit_id, lease)
    lines = []
    for unit in units:
        found = latest.get(unit.id)
        payout = None
        if found is not None and found.status is LeaseStatus.ACCEPTED:
            payout = next_payout_date(today, found.start_date)
        lines.append(UnitLine(unit, found, payout))
    return lines
