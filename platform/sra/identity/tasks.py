"""Scheduled clean-up of sign-in attempts and spent tokens (expired sessions: sra.jobs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_

from sra.identity.models import UserToken
from sra.identity.throttle import forget_old_attempts
from sra.jobs import TaskContext, task

SPENT_TOKENS_KEPT = timedelta(days=30)


@task("identity.purge_attempts_and_tokens", schedule=timedelta(hours=6))
async def purge_attempts_and_tokens(ctx: TaskContext, payload: dict[str, Any]) -> None:
    await forget_old_attempts(ctx.session, ctx.settings)
    cutoff = datetime.now(UTC) - SPENT_TOKENS_KEPT
    await ctx.session.execute(
        delete(UserToken).where(or_(UserToken.used_at < cutoff, UserToken.expires_at < cutoff))
    )
