"""Alembic, driven from code: ``sra migrate`` and the tests use these functions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

# In the source tree the revisions live in platform/migrations; a built wheel carries them
# inside the package (see force-include in pyproject.toml).
_PACKAGED = Path(__file__).resolve().parent / "migrations"
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "migrations"
MIGRATIONS_DIR = _PACKAGED if _PACKAGED.exists() else _SOURCE_TREE


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def make_revision(database_url: str, message: str) -> str | None:
    """Autogenerate a revision from the difference between the models and the database."""
    config = alembic_config(database_url)
    command.upgrade(config, "head")
    script = command.revision(config, message=message, autogenerate=True)
    if script is None or isinstance(script, list):
        return None
    return str(script.path)


def compare_type(
    context: object,
    inspected_column: object,
    metadata_column: object,
    inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    """Autogenerate hook: advanced-alchemy's GUID and DateTimeUTC read back as their storage type.

    SQLite reflects their BINARY(16) and DATETIME storage as NUMERIC, which is no change;
    every other column is left to Alembic's own comparison (None).
    """
    if type(metadata_type).__module__.startswith("advanced_alchemy.types"):
        return False
    return None


def regenerate_initial(message: str = "foundation") -> str:
    """Rewrite revision 0001 from the models (only while no real database depends on it)."""
    import tempfile

    for old in (MIGRATIONS_DIR / "versions").glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/empty.sqlite3"
        config = alembic_config(url)
        script = command.revision(config, message=message, autogenerate=True, rev_id="0001")
    assert script is not None
    assert not isinstance(script, list)
    return str(script.path)
