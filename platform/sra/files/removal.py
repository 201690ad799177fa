"""Forgetting stored files: the rows go in the caller's transaction, the bytes afterwards.

The bytes are removed by a job queued in the same transaction, so they leave the media folder
only once the deletion has committed (a rolled-back request keeps both), and running the job
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files.models import StoredFile
from sra.files.store import FileStore
from sra.jobs import TaskContext, enqueue, task

UNLINK_TASK = "files.unlink"
# Jobs queued under the name this task had while only household documents used it.
FORMER_NAMES = ("household_documents.unlink",)


async def forget_files(session: AsyncSession, files: Iterable[StoredFile | None]) -> None:
    """Delete the rows now and queue the deletion of their bytes (it commits with the rows)."""
    keys = []
    for stored in files:
        if stored is not None:
            keys.append(stored.storage_key)
            await session.delete(stored)
    await session.flush()
    if keys:
        await enqueue(session, UNLINK_TASK, {"keys": keys})


async def unlink_bytes(ctx: TaskContext, payload: dict[str, Any]) -> None:
    """Remove the bytes of deleted files from the media folder (again: nothing happens)."""
    store = FileStore.from_settings(ctx.settings)
    paths = [store.path(StoredFile(storage_key=str(key))) for key in payload.get("keys", [])]
    await anyio.to_thread.run_sync(_unlink_all, paths)


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


for _name in (UNLINK_TASK, *FORMER_NAMES):
    task(_name)(unlink_bytes)
