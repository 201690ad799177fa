"""``/admin/jobs``: administrators see waiting and failed jobs and can retry failed ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.identity.roles import Role
from sra.jobs import Job
from tests.sra.audit.accounts import csrf_token, sign_in


async def add_job(db: AsyncSession, status: str, error: str | None = None) -> Job:
    job = Job(
        name="rent.run",
        payload={},
        status=status,
        run_at=datetime.now(UTC),
        attempts=5 if status == "failed" else 0,
        max_attempts=5,
        last_error=error,
    )
    db.add(job)
    await db.commit()
    return job


async def test_administrator_sees_failed_jobs_with_their_error(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    await add_job(db, "failed", "TimeoutError: bank did not answer")
    await add_job(db, "done")
    response = await client.get("/admin/jobs")
    assert response.status_code == 200
    assert "TimeoutError: bank did not answer" in response.text
    assert "Traceback" not in response.text
    assert response.text.count("/retry") == 1


async def test_retry_queues_a_failed_job_again_and_is_audited(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    admin = await sign_in(client, db, Role.ADMINISTRATOR)
    job = await add_job(db, "failed", "ValueError: bad period")
    token = await csrf_token(client, "/admin/jobs")
    response = await client.post(
        f"/admin/jobs/{job.id}/retry", headers={"x-csrftoken": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/jobs"
    await db.refresh(job)
    assert (job.status, job.attempts) == ("queued", 0)
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "job.retry"))
    assert entry is not None
    assert (entry.actor_id, entry.entity_id) == (admin.id, str(job.id))


async def test_retry_of_a_job_that_has_not_failed_is_not_found(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    job = await add_job(db, "queued")
    token = await csrf_token(client, "/admin/jobs")
    response = await client.post(f"/admin/jobs/{job.id}/retry", headers={"x-csrftoken": token})
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FINANCE_OFFICER, Role.LANDLORD])
async def test_jobs_page_is_for_administrators_only(
    client: AsyncTestClient[Litestar], db: AsyncSession, role: Role
) -> None:
    await sign_in(client, db, role)
    assert (await client.get("/admin/jobs")).status_code == 403


async def test_anonymous_visitor_is_sent_to_sign_in_from_jobs_page(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/admin/jobs", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
