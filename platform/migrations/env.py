"""Alembic environment: async engine, batch mode on SQLite, every model imported."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from sra.db.engine import make_engine
from sra.db.migrate import compare_type
from sra_app.models import load_all_models

config = context.config
target_metadata = load_all_models()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=compare_type,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
        await connection.commit()
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    asyncio.run(_run_online())
