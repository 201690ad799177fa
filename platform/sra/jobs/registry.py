"""Task registration: ``@task("name")`` makes an async function runnable by the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from sra.settings import Settings


@dataclass
class TaskContext:
    """What a task receives besides its payload. ``attempt`` counts from 1."""

    session: AsyncSession
    settings: Settings
    job_id: UUID
    attempt: int


TaskFn = Callable[[TaskContext, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class TaskDef:
    name: str
    fn: TaskFn
    max_attempts: int
    schedule: timedelta | None


# name -> task; filled by importing the task modules listed in sra_app.wiring.task_modules().
TASKS: dict[str, TaskDef] = {}


def task(
    name: str, *, max_attempts: int = 5, schedule: timedelta | None = None
) -> Callable[[TaskFn], TaskFn]:
    """Register ``fn`` under ``name``; with ``schedule`` the worker also runs it once per slot."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if schedule is not None and schedule <= timedelta(0):
        raise ValueError("schedule must be a positive interval")

    def register(fn: TaskFn) -> TaskFn:
        known = TASKS.get(name)
        if known is not None and _qualname(known.fn) != _qualname(fn):
            raise ValueError(f"task {name!r} is already registered by {_qualname(known.fn)}")
        TASKS[name] = TaskDef(name, fn, max_attempts, schedule)
        return fn

    return register


def _qualname(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"
