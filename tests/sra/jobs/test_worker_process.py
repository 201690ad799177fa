"""The worker as people start it: ``sra worker --once``, and beside the web app."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.identity.models import UserSession
from sra.identity.roles import Role
from sra.jobs import Job, TaskContext, enqueue, run_due_jobs, task
from sra.settings import Settings
from sra_app.app import create_app
from tests.conftest import TEST_SECRET
from tests.sra.audit.accounts import make_user

SRA = str(Path(sys.executable).parent / "sra")
Maker = async_sessionmaker[AsyncSession]


async def add_sessions(session_maker: Maker) -> None:
    now = datetime.now(UTC)
    async with session_maker() as session, session.begin():
        user = await make_user(session, Role.LANDLORD)
        for hours, token in ((-1, "old"), (1, "live")):
            session.add(
                UserSession(
                    token_hash=token * 8, user_id=user.id, expires_at=now + timedelta(hours=hours)
                )
            )


async def session_hashes(session_maker: Maker) -> list[str]:
    async with session_maker() as session:
        return list((await session.scalars(select(UserSession.token_hash))).all())


async def test_housekeeping_purges_expired_sessions_every_hour(
    session_maker: Maker, settings: Settings
) -> None:
    await add_sessions(session_maker)
    assert await run_due_jobs(session_maker, settings) >= 1
    assert await session_hashes(session_maker) == ["live" * 8]
    async with session_maker() as session:
        job = await session.scalar(select(Job).where(Job.name == "sessions.purge_expired"))
    assert job is not None
    assert job.status == "done"


async def test_sra_worker_once_runs_due_jobs_and_exits_0(
    session_maker: Maker, settings: Settings, tmp_path: Path
) -> None:
    await add_sessions(session_maker)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRA_")}
    env |= {
        "SRA_DATABASE_URL": settings.database_url,
        "SRA_SECRET_KEY": TEST_SECRET,
        "SRA_VAR_DIR": str(tmp_path / "var"),
    }
    process = await asyncio.create_subprocess_exec(
        SRA, "worker", "--once", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode()
    lines = stdout.decode().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"\S+ \S+Z ran \d+ job\(s\)", lines[0])
    assert await session_hashes(session_maker) == ["live" * 8]


async def test_web_app_runs_the_worker_when_configured_and_stops_it_on_shutdown(
    tasks: dict[str, Any], session_maker: Maker, settings: Settings
) -> None:
    done = threading.Event()  # the app runs in the test client's own thread and loop

    @task("test.from_web")
    async def from_web(ctx: TaskContext, payload: dict[str, Any]) -> None:
        done.set()

    async with session_maker() as session, session.begin():
        await enqueue(session, "test.from_web", {})
    app = create_app(msgspec.structs.replace(settings, run_worker=True))
    try:
        started = time.monotonic()
        async with AsyncTestClient(app):
            assert await asyncio.to_thread(done.wait, 20)
        assert time.monotonic() - started < 10, "the worker did not stop promptly"
        async with session_maker() as session:
            job = await session.scalar(select(Job).where(Job.name == "test.from_web"))
        assert job is not None
        assert job.status == "done"
    finally:
        await app.state.session_maker.kw["bind"].dispose()
