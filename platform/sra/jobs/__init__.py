"""Background jobs and schedules on both databases; ``sra worker`` (or the web app) runs them.

    @task("mail.send", max_attempts=5)
    async def send(ctx: TaskContext, payload: dict[str, Any]) -> None: ...

    await enqueue(session, "mail.send", {"message_id": str(m.id)}, unique_key=f"mail:{m.id}")

A task module must be listed in ``sra_app.wiring.task_modules()`` so the worker imports it.
Tasks get their own transaction (``ctx.session``), committed when they return; an exception
rolls it back and the job is retried with exponential backoff, then marked ``failed``.
"""

from sra.jobs.models import Job, JobStatus
from sra.jobs.queue import enqueue
from sra.jobs.registry import TASKS, TaskContext, task
from sra.jobs.runner import run_due_jobs, run_worker

__all__ = [
    "TASKS",
    "Job",
    "JobStatus",
    "TaskContext",
    "enqueue",
    "run_due_jobs",
    "run_worker",
    "task",
]
