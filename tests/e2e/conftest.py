"""Browser fixtures: one server per database kind for the whole e2e package (migrated and
seeded once), one browser per module and server.

Tests share each server, so a test that changes data uses records of its own (a new landlord,
an account no other test signs in with) and never re-seeds.

Playwright's sync API keeps its own event loop marked as running while a browser is
open, so no async code may run in between: the PostgreSQL database is created before
the browser starts and dropped after it has closed, and the record ids the tests need are
read before it starts (the browser fixture depends on the server fixture, so pytest keeps
this order).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from sra.db import make_engine
from sra.identity.models import User
from sra.register.models import Household
from sra_app.models import load_all_models
from tests.conftest import _create_postgres_database, _postgres_admin, missing_service
from tests.e2e.browser import CHROMIUM, MISSING_CHROMIUM, launch, visitor
from tests.e2e.live import live_server


@dataclass(frozen=True)
class LiveSite:
    url: str
    household_ids: dict[str, UUID]  # the household record of each household sign-in e-mail
    database_url: str
    workdir: Path  # holds the server's SRA_VAR_DIR (see tests.e2e.live)


async def _household_ids(database_url: str) -> dict[str, UUID]:
    load_all_models()
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(User.email, Household.id).join(User, Household.user_id == User.id)
            )
            return {email: household_id for email, household_id in rows if email}
    finally:
        await engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSite]:
    """A migrated server holding the demo data, on a database of its own."""
    if not CHROMIUM.exists():
        missing_service(MISSING_CHROMIUM)
    workdir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'sra.sqlite3'}"
        with live_server(url, workdir) as base_url:
            yield LiveSite(base_url, asyncio.run(_household_ids(url)), url, workdir)
        return
    url = _create_postgres_database()
    try:
        with live_server(url, workdir) as base_url:
            yield LiveSite(base_url, asyncio.run(_household_ids(url)), url, workdir)
    finally:
        name = url.rsplit("/", 1)[1]
        asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def server(live_site: LiveSite) -> str:
    """Base URL of the live server."""
    return live_site.url


@pytest.fixture(scope="module")
def household_ids(live_site: LiveSite) -> dict[str, UUID]:
    return live_site.household_ids


@pytest.fixture(scope="module")
def browser(live_site: LiveSite) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies) in English, as a first-time visitor."""
    with visitor(browser) as fresh:
        yield fresh
