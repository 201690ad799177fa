"""Mail leaves through the outbox: files by default, SMTP when configured, only after commit."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import msgspec
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.ext.asyncio import AsyncEngine

import sra.mail.tasks  # noqa: F401  (registers the mail.send task)
from sra.db import make_sessionmaker
from sra.jobs import run_due_jobs
from sra.mail import send_mail
from sra.mail.outbox import FileOutbox, SMTPOutbox, build_message, outbox_for
from sra.settings import Settings


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_file_outbox_writes_one_rfc5322_file_per_message(settings: Settings) -> None:
    message = build_message(
        settings, to="a@example.org", subject="Hello", text="Plain words", html="<p>Words</p>"
    )

    await FileOutbox(settings.outbox_dir).send(message)

    [path] = list(settings.outbox_dir.glob("*.eml"))
    stored = parse(path.read_bytes())
    assert stored["From"] == settings.mail_from
    assert stored["To"] == "a@example.org"
    assert stored["Message-ID"]
    assert stored["Date"]
    plain = stored.get_body(preferencelist=("plain",))
    html = stored.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().strip() == "Plain words"  # type: ignore[attr-defined]
    assert "<p>Words</p>" in html.get_content()  # type: ignore[attr-defined]


LONG_SUBJECT = "Новини від соціального агентства з оренди житла: ваша пропозиція житла"


async def test_a_long_subject_in_ukrainian_keeps_every_space_in_a_file(settings: Settings) -> None:
    message = build_message(settings, to="a@example.org", subject=LONG_SUBJECT, text="Текст")

    await FileOutbox(settings.outbox_dir).send(message)

    [path] = list(settings.outbox_dir.glob("*.eml"))
    assert parse(path.read_bytes())["Subject"] == LONG_SUBJECT


async def test_a_long_subject_in_ukrainian_keeps_every_space_over_smtp(
    settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    message = build_message(settings, to="a@example.org", subject=LONG_SUBJECT, text="Текст")

    await SMTPOutbox("127.0.0.1", port).send(message)

    [(_, _, raw)] = inbox.received
    assert parse(raw)["Subject"] == LONG_SUBJECT


async def test_smtp_outbox_delivers_to_a_real_smtp_server(
    settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    message = build_message(settings, to="olena@example.org", subject="Привіт", text="Ваш код")

    await SMTPOutbox("127.0.0.1", port).send(message)

    [(sender, recipients, raw)] = inbox.received
    assert sender == settings.mail_from
    assert recipients == ["olena@example.org"]
    received = parse(raw)
    assert received["Subject"] == "Привіт"
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().strip() == "Ваш код"  # type: ignore[attr-defined]


async def test_queued_mail_goes_through_smtp_when_a_host_is_configured(
    settings: Settings, engine: AsyncEngine, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp_settings = msgspec.structs.replace(settings, smtp_host="127.0.0.1", smtp_port=port)
    assert isinstance(outbox_for(smtp_settings), SMTPOutbox)
    assert isinstance(outbox_for(settings), FileOutbox)
    session_maker = make_sessionmaker(engine)
    async with session_maker() as session, session.begin():
        await send_mail(session, to="b@example.org", subject="Queued", text="Sent by the worker")

    await run_due_jobs(session_maker, smtp_settings)

    [(_sender, recipients, _raw)] = inbox.received
    assert recipients == ["b@example.org"]


async def test_mail_of_a_rolled_back_transaction_never_leaves(
    settings: Settings, engine: AsyncEngine
) -> None:
    session_maker = make_sessionmaker(engine)
    async with session_maker() as session:
        await send_mail(session, to="c@example.org", subject="Never", text="Rolled back")
        await session.rollback()
    async with session_maker() as session, session.begin():
        await send_mail(session, to="d@example.org", subject="Kept", text="Committed")

    await run_due_jobs(session_maker, settings)

    sent = [parse(p.read_bytes()) for p in settings.outbox_dir.glob("*.eml")]
    assert [m["Subject"] for m in sent] == ["Kept"]
