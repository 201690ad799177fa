"""Data protection for households: a copy of all their data, and erasure on request.

Export: one ZIP with ``data.json`` (the household record, members, incomes, preferred areas,
status history and every section registered in ``personal_data.EXPORTERS``) and the files of
the household's documents under ``documents/``. Each export is audited.

Erasure, run by an administrator after the household asked for it, in this order and each step
in the audit log: the application is withdrawn; every ``personal_data.ERASERS`` entry runs
(documents, messages, and the contexts that keep records the law requires, which pseudonymise
them); members, incomes and preferred areas are deleted; the household row keeps only its
reference, dates and status, with a pseudonym for a name; the personal fields of its audit
history are pseudonymised; its user account is disabled and stripped so nobody can sign in.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.inspection import inspect
from sqlalchemy.orm import selectinload

from sra import audit
from sra.files import FileStore, StoredFile
from sra.households.documents import HouseholdDocument
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.households.status import HouseholdStatusChange, history, move_household
from sra.i18n import lazy
from sra.identity.current import CurrentUser
from sra.identity.models import LoginAttempt, User, UserToken
from sra.identity.roles import Role
from sra.identity.service import set_active
from sra.notifications import Notification, notify
from sra.register.models import (
    Household,
    HouseholdStatus,
    SupportNeed,
)

EXPORT_FORMAT = "sra-household-export/1"
OWN_SECTIONS = frozenset(
    {"format", "exported_at", "household", "members", "incomes", "preferred_areas"}
    | {"status_history", "account", "document_files"}
)
# Columns that say nothing about the household itself (row bookkeeping).
SKIPPED_COLUMNS = frozenset({"household_id"})

audit.register_entity("household_erasure", fields={"step", "rows"})

ERASURE_QUEUE = "/staff/erasure-requests"
ERASURE_ASKED = lazy(
    "Household {reference} asked for its data to be erased. Please carry it out within a month."
)


def _values(row: Any) -> dict[str, Any]:
    """Every column of an ORM row, as the JSON encoder takes it."""
    return {
        column.key: getattr(row, column.key)
        for column in inspect(row).mapper.column_attrs
        if column.key not in SKIPPED_COLUMNS
    }


async def household_with_profile(
    session: AsyncSession, *, user_id: UUID | None = None, household_id: UUID | None = None
) -> Household | None:
    """One household with members, incomes and areas loaded, by its user or by its id."""
    query = select(Household).options(
        selectinload(Household.members),
        selectinload(Household.incomes),
        selectinload(Household.preferred_areas),
    )
    if user_id is not None:
        query = query.where(Household.user_id == user_id)
    elif household_id is not None:
        query = query.where(Household.id == household_id)
    else:
        raise ValueError("give user_id or household_id")
    household: Household | None = await session.scalar(query)
    return household


async def has_housing_records(session: AsyncSession, household: Household) -> bool:
    """True when the household is or was housed: its lease and rent account are then kept
    (pseudonymised) for the legal retention period instead of being deleted."""
    if household.status is HouseholdStatus.HOUSED:
        return True
    was_housed = exists().where(
        HouseholdStatusChange.household_id == household.id,
        HouseholdStatusChange.to_status == HouseholdStatus.HOUSED,
    )
    return bool(await session.scalar(select(was_housed)))


# -- export ---------------------------------------------------------------------------------


async def _documents(
    session: AsyncSession, household_id: UUID
) -> list[tuple[HouseholdDocument, StoredFile]]:
    rows = await session.execute(
        select(HouseholdDocument, StoredFile)
        .join(StoredFile, StoredFile.id == HouseholdDocument.file_id)
        .where(HouseholdDocument.household_id == household_id)
        .order_by(HouseholdDocument.created_at, HouseholdDocument.id)
    )
    return [(document, stored) for document, stored in rows.tuples()]


async def _account(session: AsyncSession, user_id: UUID | None) -> dict[str, Any] | None:
    """The sign-in account as its owner may see it: never the password or second factor."""
    user = await session.get(User, user_id) if user_id else None
    if user is None:
        return None
    fields = ("id", "email", "username", "display_name", "locale", "created_at")
    return {name: getattr(user, name) for name in fields}


async def export_data(session: AsyncSession, household: Household) -> dict[str, Any]:
    """All the household's data as plain values (``data.json``), without the document files."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC),
        "household": _values(household),
        "members": [_values(m) for m in household.members],
        "incomes": [_values(i) for i in household.incomes],
        "preferred_areas": [_values(a) for a in household.preferred_areas],
        "status_history": [_values(c) for c in await history(session, household.id)],
        "account": await _account(session, household.user_id),
    }
    for section, exporter in sorted(EXPORTERS.items()):
        if section in OWN_SECTIONS:
            raise ValueError(f"export section {section!r} clashes with the household's own")
        data[section] = await exporter(session, household)
    return data


async def export_zip(
    session: AsyncSession,
    household: Household,
    store: FileStore,
    *,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> bytes:
    """The ZIP the household downloads: ``data.json`` and ``documents/<id>-<name>``."""
    data = await export_data(session, household)
    buffer = io.BytesIO()
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document, stored in await _documents(session, household.id):
            path = f"documents/{document.id}-{stored.filename}"
            entry = {"document_id": document.id, "kind": document.kind, "path": path}
            entry |= {"filename": stored.filename, "content_type": stored.content_type}
            try:
                archive.writestr(path, await store.read(stored))
            except FileNotFoundError:
                # Say so rather than fail the whole copy: the row is in data.json anyway.
                entry |= {"path": None, "missing": True}
            files.append(entry)
        data["document_files"] = files
        archive.writestr("data.json", msgspec.json.format(msgspec.json.encode(data)))
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="household.exported",
        entity="household",
        entity_id=household.id,
        ip_address=ip_address,
    )
    await session.flush()
    return buffer.getvalue()


# -- erasure ----------------------------------------------------------------------------------


async def request_erasure(
    session: AsyncSession,
    household: Household,
    *,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> None:
    """The household asks to be erased; asking again keeps the first date. The agency's
    administrators are told at once (in the portal and by e-mail): the law gives them a month."""
    if household.erasure_requested_at is not None:
        return
    household.erasure_requested_at = datetime.now(UTC)
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="household.erasure_requested",
        entity="household",
        entity_id=household.id,
        after={"erasure_requested_at": household.erasure_requested_at},
        ip_address=ip_address,
    )
    administrators = await session.scalars(
        select(User.id).where(
            User.agency_id == household.agency_id,
            User.role == Role.ADMINISTRATOR,
            User.is_active.is_(True),
        )
    )
    for user_id in administrators:
        await notify(
            session,
            user_id=user_id,
            message=ERASURE_ASKED,
            params={"reference": household.reference},
            link=ERASURE_QUEUE,
        )
    await session.flush()


async def cancel_erasure(
    session: AsyncSession,
    household: Household,
    *,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> bool:
    """The household takes its request back before it is carried out. True when there was one
    to take back (a second click, or a request already carried out, changes nothing)."""
    if household.erasure_requested_at is None or household.erased_at is not None:
        return False
    asked_on = household.erasure_requested_at
    household.erasure_requested_at = None
    await audit.record(
        session,
        **audit.actor_fields(actor),
        action="household.erasure_cancelled",
        entity="household",
        entity_id=household.id,
        before={"erasure_requested_at": asked_on},
        after={"erasure_requested_at": None},
        ip_address=ip_address,
    )
    await session.flush()
    return True


async def erasure_requests(session: AsyncSession, agency_id: UUID | None) -> list[Household]:
    """The agency's households waiting to be erased, oldest request first."""
    rows = await session.scalars(
        select(Household)
        .where(
            Household.agency_id == agency_id,
            Household.erasure_requested_at.is_not(None),
            Household.erased_at.is_(None),
        )
        .order_by(Household.erasure_requested_at, Household.reference)
    )
    return list(rows)


async def erased_households(
    session: AsyncSession, agency_id: UUID | None, limit: int = 50
) -> list[Household]:
    rows = await session.scalars(
        select(Household)
        .where(Household.agency_id == agency_id, Household.erased_at.is_not(None))
        .order_by(Household.erased_at.desc())
        .limit(limit)
    )
    return list(rows)


async def erase_household(
    session: AsyncSession,
    household: Household,
    *,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> None:
    """Erase the household's personal data (see the module's doc). Members, incomes and areas
    must be loaded (:func:`household_with_profile`). A second call does nothing."""
    if household.erased_at is not None:
        return
    # One random salt per erasure, kept nowhere: the pseudonyms cannot be traced back to a name.
    salt = secrets.token_hex(16)

    async def step(name: str, rows: int | None = None) -> None:
        await audit.record(
            session,
            actor_id=actor.id,
            actor_label=actor.display_name,
            action="household.erasure_step",
            entity="household_erasure",
            entity_id=household.id,
            after={"step": name, "rows": rows},
            ip_address=ip_address,
        )

    if household.status is not HouseholdStatus.WITHDRAWN:
        await move_household(session, household, HouseholdStatus.WITHDRAWN, actor=actor)
    await step("application_withdrawn")
    for name, eraser in sorted(ERASERS.items()):
        await eraser(session, household)
        await step(name)
    await step("profile_rows", await _delete_profile_rows(session, household, salt))
    await step("status_reasons", await _clear_status_reasons(session, household.id))
    _pseudonymise_row(household)
    await session.flush()
    await step(
        "household_audit", await audit.pseudonymise(session, "household", household.id, salt)
    )
    if household.user_id is not None:
        await step("account", await _close_account(session, household, actor, salt))
    household.erased_at = datetime.now(UTC)
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="household.erased",
        entity="household",
        entity_id=household.id,
        after={"erased_at": household.erased_at, "name": household.name},
        ip_address=ip_address,
    )
    await session.flush()


async def _delete_profile_rows(session: AsyncSession, household: Household, salt: str) -> int:
    """Members, incomes and areas go; their audit history keeps pseudonyms only."""
    rows = 0
    for entity, children in (
        ("household_member", household.members),
        ("household_income", household.incomes),
    ):
        for child in children:
            await audit.pseudonymise(session, entity, child.id, salt)
        rows += len(children)
    rows += len(household.preferred_areas)
    household.members.clear()
    household.incomes.clear()
    household.preferred_areas.clear()
    await session.flush()
    return rows


async def _clear_status_reasons(session: AsyncSession, household_id: UUID) -> int:
    """Reasons are free text an officer wrote about the person: the moves stay, the text goes."""
    result = await session.execute(
        update(HouseholdStatusChange)
        .where(
            HouseholdStatusChange.household_id == household_id,
            HouseholdStatusChange.reason.is_not(None),
        )
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def erased_name(household: Household) -> str:
    return f"Erased household {household.reference}"


def _pseudonymise_row(household: Household) -> None:
    """Keep what the register needs to stay consistent (reference, agency, dates, status);
    clear everything that describes the person, their situation, health or money."""
    household.name = erased_name(household)
    for column in ("email", "phone", "other_needs", "eviction_date", "current_rent_cents"):
        setattr(household, column, None)
    for column in ("max_rent_cents", "max_distance_km", "ethos_category", "verified_facts"):
        setattr(household, column, None)
    for flag in ("wheelchair", "step_free", "ground_floor", "displaced", "eviction_threat"):
        setattr(household, flag, False)
    household.disability = False
    household.local_tie = False
    household.monthly_income_cents = 0
    household.urgency = 0
    household.support_need = SupportNeed.LIGHT
    household.renewal_due_on = None
    household.renewal_reminded_at = None


async def _close_account(
    session: AsyncSession, household: Household, actor: CurrentUser, salt: str
) -> int:
    """Disable the household's account (signing it out everywhere) and strip it of anything
    that names the person; its audit history and the entries it made keep pseudonyms."""
    user = await session.get(User, household.user_id)
    if user is None:
        return 0
    await set_active(session, user, False, actor_id=actor.id, actor_label=actor.display_name)
    identifiers = [value for value in (user.email, user.username) if value]
    if identifiers:
        await session.execute(delete(LoginAttempt).where(LoginAttempt.identifier.in_(identifiers)))
    await session.execute(delete(UserToken).where(UserToken.user_id == user.id))
    await session.execute(delete(Notification).where(Notification.user_id == user.id))
    user.email = user.username = user.password_hash = user.totp_secret = user.locale = None
    user.email_confirmed_at = user.totp_confirmed_at = None
    user.display_name = erased_name(household)
    await session.flush()
    changed = await audit.pseudonymise(session, "user", user.id, salt)
    # The entries the person made name them as actor: the label and address go too.
    result = await session.execute(
        update(audit.AuditEntry)
        .where(audit.AuditEntry.actor_id == user.id)
        .values(actor_label=erased_name(household), ip_address=None)
        .execution_options(synchronize_session=False)
    )
    return changed + int(result.rowcount)  # type: ignore[attr-defined]
