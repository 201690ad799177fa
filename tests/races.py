"""Two clicks at once: each in its own session and transaction, both having read the record
before either acts (a barrier), then both acting together. On PostgreSQL that is a real race;
SQLite lets one writer in at a time, so there the second waits for the first to commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.db import make_sessionmaker

Record = TypeVar("Record")


async def race(
    engine: AsyncEngine,
    read: Callable[[AsyncSession], Awaitable[Record]],
    first: Callable[[AsyncSession, Record], Awaitable[object]],
    second: Callable[[AsyncSession, Record], Awaitable[object]],
    *,
    refused: type[Exception],
) -> list[object]:
    """What each act returned, or the ``refused`` error it raised (its transaction rolled back)."""
    barrier = asyncio.Barrier(2)
    maker = make_sessionmaker(engine)

    async def click(act: Callable[[AsyncSession, Record], Awaitable[object]]) -> object:
        async with maker() as session:
            record = await read(session)
            await barrier.wait()
            try:
                outcome = await act(session, record)
            except refused as exc:
                await session.rollback()
                return exc
            await session.commit()
            return outcome

    return list(await asyncio.gather(click(first), click(second)))
