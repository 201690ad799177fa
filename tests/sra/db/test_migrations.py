"""The Alembic migrations and the models describe the same schema, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from sra.db.migrate import compare_type
from sra_app.models import load_all_models


async def test_models_and_migrations_agree(engine: AsyncEngine, clean_database: None) -> None:
    metadata = load_all_models()

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})  # type: ignore[arg-type]
        return list(compare_metadata(context, metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []
