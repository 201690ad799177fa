"""The ``sra`` command. Commands import what they need when they run: ``sra --help`` is quick.

Bad arguments and bad input end with one line on stderr and exit status 2.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, TypeVar

import click

T = TypeVar("T")


class CLIError(click.ClickException):
    """A user-facing error: printed as one line, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"sra: error: {self.format_message()}", err=True)


def friendly(func: Callable[..., T]) -> Callable[..., T]:
    """Turn the errors a person can fix into one line and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        from sra.settings import SettingsError

        try:
            return func(*args, **kwargs)
        except SettingsError as exc:
            raise CLIError(str(exc)) from None

    return wrapper


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


class OneLineGroup(click.Group):
    """Usage errors (unknown command, bad option) as one line too, not click's usage block."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise CLIError(exc.format_message()) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise CLIError(exc.format_message()) from None


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Social rental agency platform: serve the app, migrate, load demo data, run jobs."""


@main.command()
@friendly
def migrate() -> None:
    """Apply the database migrations (Alembic) up to the newest."""
    from sra.db.migrate import upgrade
    from sra.settings import load_settings

    settings = load_settings()
    upgrade(settings.database_url)
    click.echo("database is up to date")


@main.command("make-migration")
@click.argument("message")
@friendly
def make_migration(message: str) -> None:
    """Write a new Alembic revision for the model changes (developers)."""
    from sra.db.migrate import make_revision
    from sra.settings import load_settings

    path = make_revision(load_settings().database_url, message)
    click.echo(f"wrote {path}")


@main.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database holds data.")
@friendly
def seed_demo(if_empty: bool) -> None:
    """Load the fictional demo data (needs SRA_DEMO=1 and an empty database)."""
    from sra.settings import load_settings
    from sra_app.demo_cli import DemoRefused, seed

    settings = load_settings()
    try:
        message = run_async(seed(settings, if_empty=if_empty))
    except DemoRefused as exc:
        raise CLIError(str(exc)) from None
    click.echo(message)


@main.command("demo-codes")
@friendly
def demo_codes() -> None:
    """Print the current sign-in code of each demo staff account (needs SRA_DEMO=1)."""
    from sra.settings import load_settings
    from sra_app.demo_cli import DemoRefused, staff_codes

    try:
        click.echo(staff_codes(load_settings()))
    except DemoRefused as exc:
        raise CLIError(str(exc)) from None


@main.command("create-user")
@click.option("--email", required=True, help="Sign-in e-mail address.")
@click.option("--name", "display_name", required=True, help="Name shown in the app.")
@click.option("--role", required=True, help="One of the staff roles, e.g. administrator.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (asked for when not given).",
)
@friendly
def create_user(email: str, display_name: str, role: str, password: str) -> None:
    """Create a staff account. The person sets up the second factor at first sign-in."""
    from sra.identity.roles import STAFF_ROLES, Role

    valid = sorted(r.value for r in STAFF_ROLES)
    if role not in valid:
        raise CLIError(f"--role: expected one of {', '.join(valid)}, got {role!r}")
    from sra.settings import load_settings
    from sra_app.users_cli import UserInputError, create_staff_user

    try:
        run_async(create_staff_user(load_settings(), email, display_name, Role(role), password))
    except UserInputError as exc:
        raise CLIError(str(exc)) from None
    click.echo(f"created {role} {email}")


@main.command()
@click.option("--once", is_flag=True, help="Run the jobs that are due, then stop.")
@friendly
def worker(once: bool) -> None:
    """Run background and scheduled jobs (rent runs, reminders, offer expiry, ...)."""
    from sra.settings import load_settings
    from sra_app.jobs_cli import run_worker

    run_async(run_worker(load_settings(), once=once))


@main.command()
@click.option("--host", default=None, help="Address to listen on (default SRA_HOST).")
@click.option(
    "--port", default=None, type=click.IntRange(1, 65535), help="Port (default SRA_PORT)."
)
@click.option("--no-worker", is_flag=True, help="Do not run the job worker inside the server.")
@friendly
def serve(host: str | None, port: int | None, no_worker: bool) -> None:
    """Serve the web app (and, unless --no-worker, the job worker beside it)."""
    import msgspec
    import uvicorn

    from sra.settings import load_settings
    from sra_app.app import create_app

    settings = load_settings()
    if no_worker:
        settings = msgspec.structs.replace(settings, run_worker=False)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        proxy_headers=False,
    )


@main.command()
@click.argument("instance")
@click.option("--out", default=None, help="Write the result here instead of stdout.")
@click.option("--time-limit", default=None, help="Stop the capped search after SECONDS.")
def allocate(instance: str, out: str | None, time_limit: str | None) -> None:
    """Allocate units to households (ALLOCATION.md): INSTANCE.json in, result JSON out."""
    from matching.cli import run_allocate  # lean: no web framework, no database

    sys.exit(run_allocate(instance, out, time_limit))


def entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
