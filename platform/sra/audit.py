"""Append-only audit log: who changed what, when, on which record.

Only allow-listed fields are copied into the log. Secrets (password hashes, tokens, second-factor
secrets) appear as "changed" and never with their value. Personal fields can be pseudonymised
when a person's data is erased (:func:`pseudonymise`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol, TypedDict
from uuid import UUID

from advanced_alchemy.types import JsonB
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base

CHANGED = "changed"

# entity -> fields whose values may be recorded.
ALLOWED_FIELDS: dict[str, frozenset[str]] = {}
# entity -> fields that are secrets: recorded only as "changed".
SECRET_FIELDS: dict[str, frozenset[str]] = {}
# entity -> personal fields replaced by a pseudonym on erasure.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {}


def register_entity(
    entity: str,
    *,
    fields: set[str] | frozenset[str],
    secrets: set[str] | frozenset[str] = frozenset(),
    personal: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Declare which fields of ``entity`` the audit log may show (each context calls this)."""
    ALLOWED_FIELDS[entity] = frozenset(fields)
    SECRET_FIELDS[entity] = frozenset(secrets)
    PERSONAL_FIELDS[entity] = frozenset(personal)


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    actor_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    ip_address: Mapped[str | None] = mapped_column(String(45))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _filtered(entity: str, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    allowed = ALLOWED_FIELDS.get(entity, frozenset())
    secrets = SECRET_FIELDS.get(entity, frozenset())
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in secrets:
            out[key] = CHANGED
        elif key in allowed:
            out[key] = _plain(value)
    return out


class Actor(Protocol):
    """Who acts: a signed-in person (``sra.identity.current.CurrentUser``)."""

    @property
    def id(self) -> UUID: ...

    @property
    def display_name(self) -> str: ...


class ActorFields(TypedDict):
    actor_id: UUID | None
    actor_label: str


def actor_fields(actor: Actor | None) -> ActorFields:
    """:func:`record`'s ``actor_id`` and ``actor_label``: the person, or "system" for a job."""
    if actor is None:
        return {"actor_id": None, "actor_label": "system"}
    return {"actor_id": actor.id, "actor_label": actor.display_name}


async def record(
    session: AsyncSession,
    *,
    actor_id: UUID | None,
    actor_label: str,
    action: str,
    entity: str,
    entity_id: UUID | str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Add one entry to the session's transaction; it commits with the change it describes."""
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_filtered(entity, before),
        after=_filtered(entity, after),
        ip_address=ip_address,
    )
    session.add(entry)
    return entry


def pseudonym(value: str, salt: str) -> str:
    return "erased-" + hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:12]


async def pseudonymise(session: AsyncSession, entity: str, entity_id: UUID | str, salt: str) -> int:
    """Replace the personal fields of one record's history by pseudonyms; returns entries changed.

    This is the one sanctioned rewrite of the log: required by data-protection erasure.
    """
    personal = PERSONAL_FIELDS.get(entity, frozenset())
    rows = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id)
            )
        )
    ).all()
    for entry in rows:
        for side in ("before", "after"):
            values = getattr(entry, side)
            if values:
                setattr(
                    entry,
                    side,
                    {
                        k: (pseudonym(str(v), salt) if k in personal and v else v)
                        for k, v in values.items()
                    },
                )
    return len(rows)
