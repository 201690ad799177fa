"""The demo's intake work and leases: what `make run` shows intake officers and landlords."""

from __future__ import annotations

import hashlib

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import HeadLease, LeaseStatus
from sra.identity.models import User
from sra.register.inspection import InspectionReport
from sra.register.models import Unit, UnitStatus
from sra.settings import Settings
from sra_app.demo_cli import seed
from tests.sra.register.intake_world import Client, signed_in


async def test_demo_has_visits_a_flat_to_approve_signed_leases_and_one_waiting(
    settings: Settings, db: AsyncSession, client: Client
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)

    # Signed units became available; the demo round then offered and let some of them.
    in_allocation = (UnitStatus.AVAILABLE, UnitStatus.OFFERED, UnitStatus.LET)
    available = set(await db.scalars(select(Unit.id).where(Unit.status.in_(in_allocation))))
    signed = list(
        await db.scalars(select(HeadLease).where(HeadLease.status == LeaseStatus.ACCEPTED))
    )
    assert {lease.unit_id for lease in signed} == available
    waiting = list(
        await db.scalars(select(HeadLease).where(HeadLease.status == LeaseStatus.PROPOSED))
    )
    assert len(waiting) == 1
    assert (
        await db.scalar(
            select(func.count()).select_from(Unit).where(Unit.status == UnitStatus.INSPECTED)
        )
        == 1
    )
    planned = await db.scalar(
        select(func.count())
        .select_from(InspectionReport)
        .where(InspectionReport.completed_at.is_(None))
    )
    assert planned == 1

    lease = signed[0]
    landlord_user = await db.get(User, lease.accepted_by)
    assert landlord_user is not None
    await signed_in(client, db, landlord_user)
    first = await client.get(f"/landlord/leases/{lease.id}/contract.pdf")
    second = await client.get(f"/landlord/leases/{lease.id}/contract.pdf")
    assert first.status_code == 200
    assert first.content == second.content
    await db.refresh(lease)
    assert lease.pdf_sha256 == hashlib.sha256(first.content).hexdigest()
