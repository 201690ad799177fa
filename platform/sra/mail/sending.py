"""Queueing mail: the job commits with the request, so a rolled-back request sends nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from sra.jobs import enqueue

MAIL_TASK = "mail.send"


async def send_mail(
    session: AsyncSession, *, to: str, subject: str, text: str, html: str | None = None
) -> None:
    await enqueue(session, MAIL_TASK, {"to": to, "subject": subject, "text": text, "html": html})
