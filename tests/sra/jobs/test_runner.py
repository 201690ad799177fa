"""The job runner: enqueue, run, retry with backoff, schedules, and claims under concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.audit import AuditEntry, record
from sra.jobs import Job, TaskContext, enqueue, run_due_jobs, run_worker, task
from sra.jobs.runner import LEASE, backoff, slot_start
from sra.settings import Settings

Maker = async_sessionmaker[AsyncSession]
T0 = datetime(2030, 3, 4, 10, 0, 7, tzinfo=UTC)


async def jobs_named(session_maker: Maker, name: str) -> list[Job]:
    async with session_maker() as session:
        return list((await session.scalars(select(Job).where(Job.name == name))).all())


async def test_enqueued_job_runs_in_its_own_committed_transaction(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    seen: list[tuple[dict[str, Any], int]] = []

    @task("test.note")
    async def note(ctx: TaskContext, payload: dict[str, Any]) -> None:
        seen.append((payload, ctx.attempt))
        await record(
            ctx.session,
            actor_id=None,
            actor_label="worker",
            action="note",
            entity="t",
            entity_id="1",
        )

    async with session_maker() as session, session.begin():
        await enqueue(session, "test.note", {"n": 1})

    assert await run_due_jobs(session_maker, settings) == 1
    assert seen == [({"n": 1}, 1)]
    [job] = await jobs_named(session_maker, "test.note")
    assert job.status == "done"
    assert job.finished_at is not None
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    assert await run_due_jobs(session_maker, settings) == 0


async def test_enqueue_belongs_to_the_callers_transaction(
    tasks: dict[str, Any], session_maker: Maker
) -> None:
    async with session_maker() as session:
        await enqueue(session, "test.anything", {})
        await session.rollback()
    assert await jobs_named(session_maker, "test.anything") == []


async def test_enqueue_with_an_existing_unique_key_adds_nothing(
    tasks: dict[str, Any], session_maker: Maker
) -> None:
    async with session_maker() as session, session.begin():
        await enqueue(session, "test.mail", {"to": "a"}, unique_key="mail:1")
        await enqueue(session, "test.mail", {"to": "b"}, unique_key="mail:1")
    async with session_maker() as session, session.begin():
        await enqueue(session, "test.mail", {"to": "c"}, unique_key="mail:1")
        await enqueue(session, "test.mail", {"to": "d"}, unique_key="mail:2")
    jobs = await jobs_named(session_maker, "test.mail")
    assert sorted(j.payload["to"] for j in jobs) == ["a", "d"]


async def test_job_waits_until_its_run_at(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    ran: list[int] = []

    @task("test.later")
    async def later(ctx: TaskContext, payload: dict[str, Any]) -> None:
        ran.append(1)

    async with session_maker() as session, session.begin():
        await enqueue(session, "test.later", {}, run_at=T0 + timedelta(hours=1))
    assert await run_due_jobs(session_maker, settings, now=T0) == 0
    assert await run_due_jobs(session_maker, settings, now=T0 + timedelta(hours=1)) == 1
    assert ran == [1]


async def test_failing_job_is_retried_with_backoff_then_marked_failed(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    attempts: list[int] = []

    @task("test.flaky", max_attempts=3)
    async def flaky(ctx: TaskContext, payload: dict[str, Any]) -> None:
        attempts.append(ctx.attempt)
        await record(
            ctx.session,
            actor_id=None,
            actor_label="worker",
            action="half",
            entity="t",
            entity_id="1",
        )
        raise RuntimeError("bank file rejected\nTraceback (most recent call last): ...")

    async with session_maker() as session, session.begin():
        await enqueue(session, "test.flaky", {})

    assert await run_due_jobs(session_maker, settings, now=T0) == 1
    [job] = await jobs_named(session_maker, "test.flaky")
    assert (job.status, job.attempts) == ("queued", 1)
    assert job.run_at == T0 + backoff(1)
    assert job.last_error == "RuntimeError: bank file rejected"

    # Not yet due: the backoff holds it back.
    assert await run_due_jobs(session_maker, settings, now=T0 + backoff(1) / 2) == 0

    second = T0 + backoff(1)
    assert await run_due_jobs(session_maker, settings, now=second) == 1
    [job] = await jobs_named(session_maker, "test.flaky")
    assert (job.status, job.run_at) == ("queued", second + backoff(2))
    assert backoff(2) == 2 * backoff(1)

    assert await run_due_jobs(session_maker, settings, now=second + backoff(2)) == 1
    [job] = await jobs_named(session_maker, "test.flaky")
    assert (job.status, job.attempts) == ("failed", 3)
    assert await run_due_jobs(session_maker, settings, now=second + timedelta(days=1)) == 0
    assert attempts == [1, 2, 3]
    async with session_maker() as session:
        # Each failed attempt rolled back what the task wrote.
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_job_of_an_unknown_task_fails_with_a_readable_error(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    async with session_maker() as session, session.begin():
        await enqueue(session, "test.gone", {})
    assert await run_due_jobs(session_maker, settings, now=T0) == 1
    [job] = await jobs_named(session_maker, "test.gone")
    assert job.status == "queued"
    assert job.last_error == "LookupError: no task named 'test.gone' is registered in this worker"


async def test_running_job_whose_lease_expired_is_picked_up_again(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    ran: list[int] = []

    @task("test.crashy")
    async def crashy(ctx: TaskContext, payload: dict[str, Any]) -> None:
        ran.append(ctx.attempt)

    async with session_maker() as session, session.begin():
        await enqueue(session, "test.crashy", {}, run_at=T0)
        # A worker claimed it and died.
        await session.execute(
            update(Job).values(
                status="running", locked_by="dead", locked_until=T0 + LEASE, attempts=1
            )
        )
    assert await run_due_jobs(session_maker, settings, now=T0 + LEASE / 2) == 0
    assert await run_due_jobs(session_maker, settings, now=T0 + LEASE * 2) == 1
    assert ran == [2]
    [job] = await jobs_named(session_maker, "test.crashy")
    assert job.status == "done"


def test_schedule_slots_are_aligned() -> None:
    hour = timedelta(hours=1)
    assert slot_start(T0, hour) == datetime(2030, 3, 4, 10, tzinfo=UTC)
    assert slot_start(T0 + timedelta(minutes=59), hour) == datetime(2030, 3, 4, 10, tzinfo=UTC)
    assert slot_start(T0 + hour, hour) == datetime(2030, 3, 4, 11, tzinfo=UTC)


async def test_scheduled_slot_runs_once_with_two_concurrent_workers(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    ran: list[int] = []

    @task("test.hourly", schedule=timedelta(hours=1))
    async def hourly(ctx: TaskContext, payload: dict[str, Any]) -> None:
        ran.append(1)
        await asyncio.sleep(0.05)

    first = await asyncio.gather(
        run_due_jobs(session_maker, settings, now=T0),
        run_due_jobs(session_maker, settings, now=T0),
    )
    assert sorted(first) == [0, 1]
    assert await run_due_jobs(session_maker, settings, now=T0 + timedelta(minutes=30)) == 0
    assert await run_due_jobs(session_maker, settings, now=T0 + timedelta(hours=1)) == 1
    assert len(ran) == 2
    keys = sorted(j.unique_key or "" for j in await jobs_named(session_maker, "test.hourly"))
    assert keys == [
        "test.hourly@2030-03-04T10:00:00+00:00",
        "test.hourly@2030-03-04T11:00:00+00:00",
    ]


async def test_concurrent_workers_never_run_the_same_job_twice(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    # PostgreSQL claims with FOR UPDATE SKIP LOCKED; SQLite with a conditional UPDATE.
    ran: list[UUID] = []

    @task("test.count")
    async def count(ctx: TaskContext, payload: dict[str, Any]) -> None:
        ran.append(ctx.job_id)
        await asyncio.sleep(0.001)

    async with session_maker() as session, session.begin():
        for n in range(60):
            await enqueue(session, "test.count", {"n": n})

    async def worker() -> int:
        total = 0
        while ran_now := await run_due_jobs(session_maker, settings, limit=7):
            total += ran_now
        return total

    totals = await asyncio.gather(worker(), worker(), worker())
    assert sum(totals) == 60
    assert len(ran) == len(set(ran)) == 60
    assert all(j.status == "done" for j in await jobs_named(session_maker, "test.count"))


async def test_worker_once_runs_what_is_due_and_returns(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    ran: list[int] = []

    @task("test.once")
    async def once(ctx: TaskContext, payload: dict[str, Any]) -> None:
        ran.append(payload["n"])

    async with session_maker() as session, session.begin():
        for n in range(3):
            await enqueue(session, "test.once", {"n": n})
    await asyncio.wait_for(run_worker(session_maker, settings, once=True), timeout=30)
    assert sorted(ran) == [0, 1, 2]


async def test_worker_stops_when_asked(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(session_maker, settings, poll_seconds=0.05, stop=stop))
    await asyncio.sleep(0.2)
    assert not worker.done()
    stop.set()
    await asyncio.wait_for(worker, timeout=5)


async def test_workers_max_attempts_applies_to_jobs_enqueued_by_a_process_without_the_task(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    async with session_maker() as session, session.begin():
        await enqueue(session, "test.once_only", {})  # the web process never imported it

    @task("test.once_only", max_attempts=1)
    async def once_only(ctx: TaskContext, payload: dict[str, Any]) -> None:
        raise ValueError("no")

    assert await run_due_jobs(session_maker, settings, now=T0) == 1
    [job] = await jobs_named(session_maker, "test.once_only")
    assert (job.status, job.last_error) == ("failed", "ValueError: no")
