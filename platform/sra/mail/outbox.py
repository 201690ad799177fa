"""Where mail goes: a port with two adapters, files in ``var/outbox`` (default) or SMTP."""

from __future__ import annotations

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from sra.settings import Settings

# Python 3.11 folds a long non-ASCII header into several encoded words and drops the space
# where it folds ("соціального агентства" arrives as "соціальногоагентства"). Headers are
# therefore written on one line up to RFC 5322's limit of 998 characters; the body keeps the
# 78-character policy it was encoded with.
HEADER_POLICY = default_policy.clone(max_line_length=998)


class Outbox(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def build_message(
    settings: Settings, *, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    """An RFC 5322 message from the agency: plain text, with an HTML alternative if given."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    message.policy = HEADER_POLICY  # used by as_bytes() and smtplib.send_message()
    return message


class FileOutbox:
    """Writes each message as an .eml file: the mail of a laptop demo, readable by any client."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> None:
        await anyio.to_thread.run_sync(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(message.as_bytes())
        partial.rename(self.directory / name)  # readers never see half a message


class SMTPOutbox:
    """Hands each message to an SMTP server (smtplib is blocking, so it runs in a thread)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        await anyio.to_thread.run_sync(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def outbox_for(settings: Settings) -> Outbox:
    if settings.smtp_host:
        return SMTPOutbox(
            settings.smtp_host,
            settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    return FileOutbox(settings.outbox_dir)
