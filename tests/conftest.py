"""Shared fixtures: every database test runs on SQLite and again on PostgreSQL.

PostgreSQL: ``SRA_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``);
a database is created for the run and dropped after. Without a reachable server the
PostgreSQL half is skipped locally, and fails the run when ``CI=true``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sra.db import make_engine, make_sessionmaker
from sra.db.migrate import upgrade
from sra.settings import Settings
from sra_app.app import create_app
from sra_app.models import load_all_models

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "SRA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def missing_service(message: str) -> None:
    """Skip locally with a hint; under CI=true a missing service fails the run."""
    if IN_CI:
        pytest.fail(f"CI=true but {message}", pytrace=False)
    pytest.skip(message)


async def _postgres_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _create_postgres_database() -> str:
    name = f"sra_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    except (TimeoutError, OSError, ImportError) as exc:
        missing_service(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc.__class__.__name__}); "
            "start it or set SRA_TEST_POSTGRES_URL to run the PostgreSQL half"
        )
    base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind, made once per test run."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "sra.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url
        return
    url = _create_postgres_database()
    upgrade(url)
    yield url
    name = url.rsplit("/", 1)[1]
    asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def clean_database(engine: AsyncEngine) -> AsyncIterator[None]:
    """Each test starts from the migrated schema with no rows, and leaves none behind."""
    yield
    metadata = load_all_models()
    async with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            await conn.execute(delete(table))


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    return path


@pytest.fixture
def settings(database_url: str, var_dir: Path, clean_database: None) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        var_dir=str(var_dir),
        run_worker=False,
    )


@pytest.fixture
async def db(engine: AsyncEngine, clean_database: None) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking rows directly; commit what the app must see."""
    async with make_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(settings)
    yield application
    await application.state.session_maker.kw["bind"].dispose()


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app, base_url="http://testserver.local") as test_client:
        yield test_client
