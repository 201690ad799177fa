from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import sra.jobs.housekeeping  # noqa: F401  (registered before any test saves the registry)
from sra.db import make_sessionmaker
from sra.jobs.registry import TASKS, TaskDef


@pytest.fixture
def tasks() -> Iterator[dict[str, TaskDef]]:
    """An empty task registry for the test (scheduled tasks of other modules stay out)."""
    saved = dict(TASKS)
    TASKS.clear()
    yield TASKS
    TASKS.clear()
    TASKS.update(saved)


@pytest.fixture
def session_maker(engine: AsyncEngine, clean_database: None) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)
