"""Scheduled clean-up of rows nobody needs any more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete

from sra.identity.models import UserSession
from sra.jobs.models import Job, JobStatus
from sra.jobs.registry import TaskContext, task

FINISHED_JOBS_KEPT = timedelta(days=30)


@task("sessions.purge_expired", schedule=timedelta(hours=1))
async def purge_expired_sessions(ctx: TaskContext, payload: dict[str, Any]) -> None:
    """Signed-out-by-time browser sessions: they can no longer sign anyone in."""
    expired = UserSession.expires_at <= datetime.now(UTC)
    await ctx.session.execute(delete(UserSession).where(expired))


@task("jobs.purge_finished", schedule=timedelta(days=1))
async def purge_finished_jobs(ctx: TaskContext, payload: dict[str, Any]) -> None:
    """Done jobs older than a month; failed ones stay until staff retry or look at them."""
    cutoff = datetime.now(UTC) - FINISHED_JOBS_KEPT
    await ctx.session.execute(
        delete(Job).where(Job.status == JobStatus.DONE.value, Job.finished_at < cutoff)
    )
