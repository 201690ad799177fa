"""Staff page ``/admin/jobs``: what is queued or failed, why, and a retry for failed jobs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.identity.roles import Role
from sra.jobs.models import Job, JobStatus
from sra.web.guards import current_user, requires

SHOWN = 200
OPEN_STATUSES = (JobStatus.FAILED.value, JobStatus.RUNNING.value, JobStatus.QUEUED.value)

audit.register_entity("job", fields={"name", "status", "attempts"})


class JobsAdminController(Controller):
    path = "/admin/jobs"
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def list_jobs(self, db_session: NamedDependency[AsyncSession]) -> Template:
        failed_first = case((Job.status == JobStatus.FAILED.value, 0), else_=1)
        jobs = (
            await db_session.scalars(
                select(Job)
                .where(Job.status.in_(OPEN_STATUSES))
                .order_by(failed_first, Job.run_at)
                .limit(SHOWN)
            )
        ).all()
        by_status = await db_session.execute(select(Job.status, func.count()).group_by(Job.status))
        counts: dict[str, int] = {status: count for status, count in by_status.tuples()}
        return Template(
            "admin/jobs.html",
            context={"jobs": jobs, "counts": counts, "statuses": [s.value for s in JobStatus]},
        )

    @post("/{job_id:uuid}/retry", status_code=303)
    async def retry(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        job_id: FromPath[UUID],
    ) -> Redirect:
        now = datetime.now(UTC)
        result = await db_session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.FAILED.value)
            .values(
                status=JobStatus.QUEUED.value,
                attempts=0,
                run_at=now,
                finished_at=None,
                updated_at=now,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFoundException()
        user = current_user(request)
        await audit.record(
            db_session,
            actor_id=user.id if user else None,
            actor_label=user.display_name if user else "",
            action="job.retry",
            entity="job",
            entity_id=job_id,
            after={"status": JobStatus.QUEUED.value, "attempts": 0},
            ip_address=request.client.host if request.client else None,
        )
        await db_session.flush()
        return Redirect("/admin/jobs", status_code=303)


jobs_pages = [JobsAdminController]
