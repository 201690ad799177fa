"""The job that delivers a queued mail through the configured outbox."""

from __future__ import annotations

from typing import Any

from sra.jobs import TaskContext, task
from sra.mail.outbox import build_message, outbox_for
from sra.mail.sending import MAIL_TASK


@task(MAIL_TASK)
async def deliver(ctx: TaskContext, payload: dict[str, Any]) -> None:
    message = build_message(
        ctx.settings,
        to=payload["to"],
        subject=payload["subject"],
        text=payload["text"],
        html=payload.get("html"),
    )
    await outbox_for(ctx.settings).send(message)
