"""Claiming and running jobs. Safe with several workers on one database.

PostgreSQL claims with ``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite (which ignores FOR UPDATE)
claims each row with a conditional UPDATE and keeps it only when exactly one row changed.
A claim is a lease: a worker that dies leaves its jobs ``running`` until ``locked_until``,
after which any worker takes them again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.jobs.models import Job, JobStatus
from sra.jobs.queue import enqueue
from sra.jobs.registry import TASKS, TaskContext
from sra.settings import Settings

log = logging.getLogger("sra.jobs")

LEASE = timedelta(minutes=15)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
BATCH = 100

SessionMaker = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Claimed:
    id: UUID
    name: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int


def backoff(attempt: int) -> timedelta:
    """Wait before the next try after failed try number ``attempt`` (30 s, 60 s, 120 s, ...)."""
    return min(BACKOFF_BASE * (1 << max(attempt - 1, 0)), BACKOFF_CAP)


def slot_start(now: datetime, every: timedelta) -> datetime:
    """The start of the schedule slot holding ``now``; slots are aligned on a fixed epoch."""
    return EPOCH + every * ((now - EPOCH) // every)


def one_line(exc: BaseException) -> str:
    """An error as one short line for the job table and staff pages (the trace goes to the log)."""
    text = str(exc).strip().splitlines()
    message = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return message[:500]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


async def enqueue_scheduled(session_maker: SessionMaker, now: datetime) -> None:
    """Queue the current slot of every scheduled task; the unique key makes it once per slot."""
    scheduled = [t for t in TASKS.values() if t.schedule is not None]
    if not scheduled:
        return
    async with session_maker() as session, session.begin():
        for definition in scheduled:
            assert definition.schedule is not None
            start = slot_start(now, definition.schedule)
            await enqueue(
                session,
                definition.name,
                {},
                run_at=start,
                unique_key=f"{definition.name}@{start.isoformat()}",
            )


def _due(now: datetime) -> Any:
    return or_(
        and_(Job.status == JobStatus.QUEUED.value, Job.run_at <= now),
        and_(Job.status == JobStatus.RUNNING.value, Job.locked_until < now),
    )


def _lease_values(owner: str, now: datetime) -> dict[str, Any]:
    return {
        "status": JobStatus.RUNNING.value,
        "locked_by": owner,
        "locked_until": now + LEASE,
        "attempts": Job.attempts + 1,
        "updated_at": now,
    }


async def claim(session_maker: SessionMaker, owner: str, now: datetime, limit: int) -> list[UUID]:
    async with session_maker() as session, session.begin():
        due = select(Job.id).where(_due(now)).order_by(Job.run_at).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            ids = list((await session.scalars(due.with_for_update(skip_locked=True))).all())
            if ids:
                await session.execute(
                    update(Job).where(Job.id.in_(ids)).values(**_lease_values(owner, now))
                )
            return ids
        claimed: list[UUID] = []
        for job_id in (await session.scalars(due)).all():
            result = await session.execute(
                update(Job)
                .where(Job.id == job_id, _due(now))
                .values(**_lease_values(owner, now))
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(job_id)
        return claimed


async def _load(session_maker: SessionMaker, job_id: UUID, owner: str) -> Claimed | None:
    async with session_maker() as session:
        job = await session.get(Job, job_id)
        if job is None or job.locked_by != owner:
            return None
        return Claimed(job.id, job.name, dict(job.payload), job.attempts, job.max_attempts)


async def run_one(
    session_maker: SessionMaker, settings: Settings, job: Claimed, owner: str, now: datetime
) -> bool:
    """Run one claimed job in its own transaction; True when it succeeded."""
    definition = TASKS.get(job.name)
    try:
        async with session_maker() as session, session.begin():
            if definition is None:
                raise LookupError(f"no task named {job.name!r} is registered in this worker")
            context = TaskContext(session, settings, job.id, job.attempt)
            await definition.fn(context, job.payload)
            await session.execute(
                update(Job)
                .where(Job.id == job.id, Job.locked_by == owner)
                .values(
                    status=JobStatus.DONE.value,
                    locked_by=None,
                    locked_until=None,
                    finished_at=datetime.now(UTC),
                    updated_at=datetime.now(UTC),
                )
            )
    except Exception as exc:
        log.exception("job %s (%s) failed on attempt %d", job.id, job.name, job.attempt)
        await _record_failure(session_maker, job, owner, now, exc)
        return False
    return True


async def _record_failure(
    session_maker: SessionMaker, job: Claimed, owner: str, now: datetime, exc: Exception
) -> None:
    # The worker's own registration wins: the process that enqueued may not have imported the task.
    definition = TASKS.get(job.name)
    gave_up = job.attempt >= (definition.max_attempts if definition else job.max_attempts)
    async with session_maker() as session, session.begin():
        await session.execute(
            update(Job)
            .where(Job.id == job.id, Job.locked_by == owner)
            .values(
                status=JobStatus.FAILED.value if gave_up else JobStatus.QUEUED.value,
                run_at=now if gave_up else now + backoff(job.attempt),
                last_error=one_line(exc),
                locked_by=None,
                locked_until=None,
                finished_at=now if gave_up else None,
                updated_at=datetime.now(UTC),
            )
        )


async def run_due_jobs(
    session_maker: SessionMaker,
    settings: Settings,
    *,
    now: datetime | None = None,
    limit: int = 100,
) -> int:
    """Queue scheduled slots, claim up to ``limit`` due jobs and run them; returns how many ran."""
    now = now or datetime.now(UTC)
    owner = worker_id()
    await enqueue_scheduled(session_maker, now)
    ran = 0
    for job_id in await claim(session_maker, owner, now, limit):
        job = await _load(session_maker, job_id, owner)
        if job is None:
            continue
        await run_one(session_maker, settings, job, owner, now)
        ran += 1
    return ran


async def run_worker(
    session_maker: SessionMaker,
    settings: Settings,
    *,
    once: bool = False,
    poll_seconds: float = 2.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Run due jobs until ``stop`` is set (or, with ``once``, until nothing more is due)."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            ran = await run_due_jobs(session_maker, settings, limit=BATCH)
        except Exception:
            # A lost database connection must not kill the worker: log and try again later.
            log.exception("job worker batch failed")
            ran = 0
            if once:
                raise
        if once and ran < BATCH:
            return
        if ran == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=poll_seconds)
