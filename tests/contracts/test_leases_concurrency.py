"""Concurrent clicks on a head lease: the landlord's accept, the officer's withdraw and a second
proposal each win or lose whole.

On PostgreSQL the race is real: two sessions, each in its own transaction, both read the lease
as proposed before either acts (a barrier), then both act at once. SQLite lets one writer in at
a time, so there the second waits for the first to commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts import leases
from contracts.leases import HeadLease, LeaseError, LeaseStatus
from contracts.packages import GuaranteePackage
from sra.audit import AuditEntry
from sra.db import make_sessionmaker
from sra.files import FileStore, StoredFile
from sra.identity.current import acting_as
from sra.register.models import Unit, UnitStatus
from tests import races
from tests.contracts.test_leases import approved_unit
from tests.sra.register.intake_world import World

Act = Callable[[AsyncSession, HeadLease], Awaitable[object]]


async def approved_with_package(db: AsyncSession) -> tuple[World, GuaranteePackage]:
    offer = await approved_unit(db)
    return offer.world, offer.package


async def propose(session: AsyncSession, world: World, package: GuaranteePackage) -> HeadLease:
    unit = await session.get_one(Unit, world.unit.id)
    return await leases.propose(
        session,
        unit,
        package=package,
        guaranteed_rent_cents=65000,
        start_date=date.today() + timedelta(days=10),
        duration_years=9,
        index_base_month=None,
        actor=acting_as(world.officer),
    )


async def race(engine: AsyncEngine, lease_id: UUID, first: Act, second: Act) -> list[object]:
    """Both acts at once, each having read the lease as proposed. Each gives what the act
    returned, or the LeaseError it raised (then nothing of it is kept)."""

    async def read(session: AsyncSession) -> HeadLease:
        lease = await session.get_one(HeadLease, lease_id)
        assert lease.status is LeaseStatus.PROPOSED
        return lease

    return await races.race(engine, read, first, second, refused=LeaseError)


def accepting(world: World, store: FileStore) -> Act:
    async def act(session: AsyncSession, lease: HeadLease) -> object:
        actor = acting_as(world.landlord_user)
        return await leases.accept(session, lease, store=store, actor=actor, ip_address="192.0.2.7")

    return act


def withdrawing(world: World) -> Act:
    async def act(session: AsyncSession, lease: HeadLease) -> object:
        await leases.withdraw(session, lease, actor=acting_as(world.officer))
        return "withdrawn"

    return act


async def count(db: AsyncSession, *where: object) -> int:
    return await db.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0


async def now_in(db: AsyncSession, lease: HeadLease) -> tuple[LeaseStatus, UnitStatus]:
    lease_status = await db.scalar(select(HeadLease.status).where(HeadLease.id == lease.id))
    unit_status = await db.scalar(select(Unit.status).where(Unit.id == lease.unit_id))
    assert lease_status is not None
    assert unit_status is not None
    return lease_status, unit_status


async def test_two_accepts_racing_sign_the_lease_once(
    db: AsyncSession, engine: AsyncEngine, tmp_path: Path
) -> None:
    world, package = await approved_with_package(db)
    lease = await propose(db, world, package)
    await db.commit()
    store = FileStore(tmp_path)

    results = await race(engine, lease.id, accepting(world, store), accepting(world, store))

    assert sorted(results, key=str) == [False, True]
    assert await now_in(db, lease) == (LeaseStatus.ACCEPTED, UnitStatus.AVAILABLE)
    assert await count(db, AuditEntry.action == "head_lease.accepted") == 1
    moves = AuditEntry.action == "unit.status", AuditEntry.entity_id == str(world.unit.id)
    assert await count(db, *moves) == 1  # approved -> available, once
    contracts = select(func.count()).select_from(StoredFile)
    assert await db.scalar(contracts.where(StoredFile.owner_id == str(lease.id))) == 1


async def test_an_accept_racing_a_withdrawal_wins_or_loses_whole(
    db: AsyncSession, engine: AsyncEngine, tmp_path: Path
) -> None:
    world, package = await approved_with_package(db)
    lease = await propose(db, world, package)
    await db.commit()

    accepted, withdrawn = await race(
        engine, lease.id, accepting(world, FileStore(tmp_path)), withdrawing(world)
    )

    if accepted is True:
        assert isinstance(withdrawn, LeaseError)
        assert await now_in(db, lease) == (LeaseStatus.ACCEPTED, UnitStatus.AVAILABLE)
    else:
        assert isinstance(accepted, LeaseError)
        assert withdrawn == "withdrawn"
        assert await now_in(db, lease) == (LeaseStatus.WITHDRAWN, UnitStatus.APPROVED)
        contracts = select(func.count()).select_from(StoredFile)
        assert await db.scalar(contracts.where(StoredFile.owner_id == str(lease.id))) == 0


async def test_two_officers_proposing_at_once_leave_one_proposal(
    db: AsyncSession, engine: AsyncEngine
) -> None:
    world, package = await approved_with_package(db)
    barrier = asyncio.Barrier(2)
    maker = make_sessionmaker(engine)

    async def click() -> str:
        async with maker() as session:
            await barrier.wait()
            try:
                await propose(session, world, package)
                await session.commit()
            except (LeaseError, IntegrityError):  # the check, or the unique index behind it
                await session.rollback()
                return "refused"
            return "proposed"

    results = sorted(await asyncio.gather(click(), click()))

    assert results == ["proposed", "refused"]
    waiting = select(func.count()).select_from(HeadLease)
    assert await db.scalar(waiting.where(HeadLease.status == LeaseStatus.PROPOSED)) == 1
