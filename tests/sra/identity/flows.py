"""Steps the identity tests share: forms with their CSRF token, sign-in, reading the outbox."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pyotp
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import sra.mail.tasks  # noqa: F401  (registers the mail.send task)
from sra.db import make_sessionmaker
from sra.identity.models import User
from sra.identity.roles import Role
from sra.identity.service import create_user
from sra.jobs import run_due_jobs
from sra.register.models import Agency
from sra.settings import Settings

Client = AsyncTestClient[Litestar]
PASSWORD = "correct horse battery"


async def post_form(
    client: Client, path: str, data: dict[str, str], *, page: str | None = None
) -> httpx.Response:
    """GET the form's page (for the CSRF cookie), then POST the fields with the token."""
    if client.cookies.get("sra_csrf") is None:
        await client.get(page or path)
    token = client.cookies.get("sra_csrf")
    assert token, "no CSRF cookie"
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


async def add_agency(db: AsyncSession) -> Agency:
    agency = Agency(name="Test agency", country="BE", currency="EUR", default_locale="en")
    db.add(agency)
    await db.commit()
    return agency


async def add_user(
    db: AsyncSession,
    role: Role,
    *,
    email: str | None = "person@example.org",
    password: str | None = PASSWORD,
    totp_secret: str | None = None,
    username: str | None = None,
    email_confirmed: bool = True,
) -> User:
    user = await create_user(
        db,
        email=email,
        display_name=f"Test {role.value}",
        role=role,
        password=password,
        totp_secret=totp_secret,
        username=username,
        email_confirmed=email_confirmed,
    )
    await db.commit()
    return user


async def sign_in(
    client: Client, identifier: str, password: str = PASSWORD, next_path: str = ""
) -> httpx.Response:
    return await post_form(
        client,
        "/login",
        {"email": identifier, "password": password, "next": next_path},
    )


async def sign_in_staff(client: Client, identifier: str, secret: str) -> None:
    """Password, then the current code of the authenticator app."""
    response = await sign_in(client, identifier)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login/second-factor")
    response = await post_form(
        client, "/login/second-factor", {"code": pyotp.TOTP(secret).now(), "next": ""}
    )
    assert response.status_code == 303, response.text


async def deliver_mail(engine: AsyncEngine, settings: Settings) -> list[EmailMessage]:
    """Run the due jobs, then read every message the file outbox holds (oldest first).

    The jobs run on the test's own engine: the app's pool belongs to the test client's loop.
    """
    await run_due_jobs(make_sessionmaker(engine), settings)
    return read_outbox(settings.outbox_dir)


def read_outbox(directory: Path) -> list[EmailMessage]:
    if not directory.exists():
        return []
    messages = []
    for path in sorted(directory.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def link_path(message: EmailMessage, prefix: str) -> str:
    """The path of the first link in ``message`` that starts with ``prefix``."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]*)", body(message))
    assert found, f"no {prefix} link in: {body(message)}"
    return found.group(1)


def field_error(html: str) -> list[str]:
    return re.findall(r'<span class="field-error"[^>]*>([^<]*)</span>', html)


def form_values(response: httpx.Response) -> dict[str, Any]:
    return dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', response.text))
