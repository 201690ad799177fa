"""Who may read a stored file: each owner kind registers one policy; no policy means no access."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from sra.files.models import StoredFile
from sra.identity.current import CurrentUser

AccessPolicy = Callable[[AsyncSession, CurrentUser, StoredFile], Awaitable[bool]]

POLICIES: dict[str, AccessPolicy] = {}


def register_access_policy(owner_kind: str, policy: AccessPolicy) -> None:
    """Let ``policy`` decide who reads files of ``owner_kind`` (its owning context calls this)."""
    POLICIES[owner_kind] = policy


async def may_read(session: AsyncSession, user: CurrentUser, stored: StoredFile) -> bool:
    policy = POLICIES.get(stored.owner_kind)
    return policy is not None and await policy(session, user, stored)
