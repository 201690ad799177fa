"""The ``sra`` command as a person meets it: a real process, its output and its exit status."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from sra_app.models import load_all_models

SRA = str(Path(sys.executable).parent / "sra")
COMMANDS = ("migrate", "seed-demo", "create-user", "worker", "serve")
# Each of these takes a second or more to import; `sra --help` must not pay for them.
HEAVY = ("litestar", "advanced_alchemy", "sqlalchemy", "alembic", "ortools", "weasyprint", "geopy")
SECRET = "cli-test-secret-key-that-is-long-enough-0123456789"


def sra_env(tmp_path: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The process environment without the caller's SRA_* settings, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRA_")}
    env["SRA_SECRET_KEY"] = SECRET
    env["SRA_VAR_DIR"] = str(tmp_path / "var")
    env["SRA_DATABASE_URL"] = database_url or f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    env.update(extra)
    return env


def run_sra(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SRA, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_one_line_error(returncode: int | None, stderr: str) -> None:
    assert returncode == 2, stderr
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("sra: error: ")


def test_help_lists_the_commands_a_person_needs(tmp_path: Path) -> None:
    result = run_sra(sra_env(tmp_path), "--help")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line}
    assert set(COMMANDS) <= listed


def test_help_does_not_import_the_web_database_solver_or_pdf_stack(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from sra_app.cli import main\n"
        "main(['--help'], standalone_mode=False)\n"
        f"heavy = {set(HEAVY)!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=sra_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_unknown_command_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_sra(sra_env(tmp_path), "frobnicate")
    assert_one_line_error(result.returncode, result.stderr)
    assert "frobnicate" in result.stderr


def test_unknown_role_for_create_user_exits_2_and_touches_no_database(tmp_path: Path) -> None:
    env = sra_env(tmp_path)
    result = run_sra(
        env,
        "create-user",
        "--email",
        "someone@example.org",
        "--name",
        "Someone",
        "--role",
        "janitor",
        "--password",
        "a-long-enough-password",
    )
    assert_one_line_error(result.returncode, result.stderr)
    assert "--role" in result.stderr
    assert "janitor" in result.stderr
    assert not (tmp_path / "cli.sqlite3").exists()


def test_landlord_is_not_a_role_create_user_makes(tmp_path: Path) -> None:
    result = run_sra(
        sra_env(tmp_path),
        "create-user",
        "--email",
        "owner@example.org",
        "--name",
        "Owner",
        "--role",
        "landlord",
        "--password",
        "a-long-enough-password",
    )
    assert_one_line_error(result.returncode, result.stderr)


def test_out_of_range_port_option_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_sra(sra_env(tmp_path), "serve", "--port", "0")
    assert_one_line_error(result.returncode, result.stderr)
    assert "--port" in result.stderr


@pytest.mark.parametrize("port", ["eighty", "70000"])
def test_bad_sra_port_exits_2_with_one_line_naming_the_variable(tmp_path: Path, port: str) -> None:
    result = run_sra(sra_env(tmp_path, SRA_PORT=port), "serve", "--no-worker")
    assert_one_line_error(result.returncode, result.stderr)
    assert "SRA_PORT" in result.stderr


async def _row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in load_all_models().sorted_tables
        }


@pytest.mark.parametrize("demo", [None, "0"])
async def test_seed_demo_without_sra_demo_refuses_and_changes_nothing(
    database_url: str,
    engine: AsyncEngine,
    clean_database: None,
    tmp_path: Path,
    demo: str | None,
) -> None:
    env = sra_env(tmp_path, database_url)
    if demo is not None:
        env["SRA_DEMO"] = demo
    before = await _row_counts(engine)

    process = await asyncio.create_subprocess_exec(
        SRA,
        "seed-demo",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)

    assert_one_line_error(process.returncode, stderr.decode())
    assert "SRA_DEMO" in stderr.decode()
    assert await _row_counts(engine) == before
