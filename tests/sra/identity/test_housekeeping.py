"""Old sign-in attempts and spent tokens are deleted by a scheduled job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import LoginAttempt, TokenPurpose, UserToken
from sra.identity.roles import Role
from sra.identity.tasks import purge_attempts_and_tokens
from sra.jobs import TaskContext
from sra.settings import Settings
from tests.sra.identity.flows import add_user


async def test_purge_keeps_recent_attempts_and_live_tokens(
    db: AsyncSession, settings: Settings
) -> None:
    user = await add_user(db, Role.LANDLORD)
    now = datetime.now(UTC)
    db.add_all(
        [
            LoginAttempt(identifier="old", ip=None, succeeded=False, created_at=now - timedelta(2)),
            LoginAttempt(identifier="new", ip=None, succeeded=False),
            UserToken(
                purpose=TokenPurpose.RESET,
                token_hash="a" * 64,
                user_id=user.id,
                expires_at=now - timedelta(days=40),
            ),
            UserToken(
                purpose=TokenPurpose.ACTIVATION,
                token_hash="b" * 64,
                user_id=user.id,
                expires_at=now + timedelta(days=10),
            ),
        ]
    )
    await db.commit()

    await purge_attempts_and_tokens(
        TaskContext(session=db, settings=settings, job_id=uuid4(), attempt=1), {}
    )
    await db.commit()

    assert (await db.scalars(select(LoginAttempt.identifier))).all() == ["new"]
    assert (await db.scalars(select(UserToken.token_hash))).all() == ["b" * 64]
