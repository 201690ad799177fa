"""Adding jobs: inside the caller's transaction, idempotent by ``unique_key``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from sra.jobs.models import Job, JobStatus
from sra.jobs.registry import TASKS

DEFAULT_MAX_ATTEMPTS = 5


async def enqueue(
    session: AsyncSession,
    name: str,
    payload: dict[str, Any],
    *,
    run_at: datetime | None = None,
    unique_key: str | None = None,
) -> None:
    """Queue ``name`` with ``payload``; it commits (or rolls back) with the caller's transaction.

    A ``unique_key`` that is already in the table adds nothing: ON CONFLICT DO NOTHING, so two
    transactions racing on the same key cannot both insert, and neither fails.
    """
    known = TASKS.get(name)
    now = datetime.now(UTC)
    values = {
        "id": uuid4(),
        "name": name,
        "payload": payload,
        "status": JobStatus.QUEUED.value,
        "run_at": run_at or now,
        "attempts": 0,
        "max_attempts": known.max_attempts if known else DEFAULT_MAX_ATTEMPTS,
        "unique_key": unique_key,
        "created_at": now,
        "updated_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(cast(Table, Job.__table__)).values(**values)
    if unique_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["unique_key"])
    await session.execute(statement)
