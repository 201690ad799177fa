"""``sra worker``: the job runner as a command, and the worker the web app runs beside itself."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import click
from litestar import Litestar
from sqlalchemy.exc import SQLAlchemyError

from sra.db import make_engine, make_sessionmaker
from sra.jobs import run_due_jobs
from sra.jobs import run_worker as run_jobs_forever
from sra.settings import Settings
from sra_app import wiring

BATCH = 100
POLL_SECONDS = 2.0
SHUTDOWN_SECONDS = 30

log = logging.getLogger("sra.jobs")


def load_task_modules() -> None:
    for name in wiring.task_modules():
        importlib.import_module(name)


async def run_worker(settings: Settings, once: bool) -> None:
    """Run due jobs in batches, one summary line per batch; Ctrl-C stops after the batch."""
    load_task_modules()
    engine = make_engine(settings.database_url)
    session_maker = make_sessionmaker(engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set():
            try:
                ran = await run_due_jobs(session_maker, settings, limit=BATCH)
            except (OSError, SQLAlchemyError) as exc:
                if once:
                    raise
                # The database went away for a moment: say so in one line and try again.
                click.echo(f"sra worker: database unavailable ({type(exc).__name__})", err=True)
                ran = 0
            if ran or once:
                click.echo(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z ran {ran} job(s)")
            if once and ran < BATCH:
                break
            if ran == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
        await engine.dispose()


@contextlib.asynccontextmanager
async def worker_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Run the job worker as a background task of the web app when ``settings.run_worker``."""
    settings: Settings = app.state.settings
    if not settings.run_worker:
        yield
        return
    load_task_modules()
    # An engine of its own: the database plugin disposes the app's engine before this exits.
    engine = make_engine(settings.database_url)
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_jobs_forever(make_sessionmaker(engine), settings, stop=stop), name="sra-job-worker"
    )
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(worker, timeout=SHUTDOWN_SECONDS)
        except TimeoutError:
            log.warning("job worker still busy after %s s; its jobs run again", SHUTDOWN_SECONDS)
        finally:
            await engine.dispose()
