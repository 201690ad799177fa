"""What each context holds about a household, for the export and the erasure it may ask for.

A context that stores rows about a household registers one exporter (its rows as plain JSON
values) and, when it keeps personal data, one eraser (which pseudonymises or deletes its rows).
``sra.households.privacy`` calls them all, so a new table is never forgotten in an export.

    @exporter("points")
    async def _points(session, household): return [...]
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sra.register.models import Household

Exporter = Callable[[AsyncSession, Household], Awaitable[Any]]
Eraser = Callable[[AsyncSession, Household], Awaitable[None]]

EXPORTERS: dict[str, Exporter] = {}
ERASERS: dict[str, Eraser] = {}


def exporter(section: str) -> Callable[[Exporter], Exporter]:
    def register(function: Exporter) -> Exporter:
        EXPORTERS[section] = function
        return function

    return register


def eraser(name: str) -> Callable[[Eraser], Eraser]:
    def register(function: Eraser) -> Eraser:
        ERASERS[name] = function
        return function

    return register
