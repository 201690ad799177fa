"""The audit log: what it keeps, pseudonymisation, and the administrators' page and API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import (
    AuditEntry,
    actor_fields,
    pseudonym,
    pseudonymise,
    record,
    register_entity,
)
from sra.identity.current import CurrentUser
from sra.identity.models import User
from sra.identity.roles import Role
from tests.sra.audit.accounts import make_user, sign_in

register_entity(
    "test_person",
    fields={"name", "city", "role"},
    secrets={"password_hash"},
    personal={"name"},
)

MARCH_1 = datetime(2030, 3, 1, 9, tzinfo=UTC)


async def add_entry(
    db: AsyncSession,
    *,
    when: datetime,
    actor: User | None = None,
    action: str = "person.update",
    entity: str = "test_person",
    entity_id: str = "p1",
) -> AuditEntry:
    entry = await record(
        db,
        actor_id=actor.id if actor else None,
        actor_label=actor.display_name if actor else "system",
        action=action,
        entity=entity,
        entity_id=entity_id,
        after={"city": "Gent"},
    )
    entry.created_at = when
    await db.commit()
    return entry


async def test_entries_keep_allow_listed_fields_and_show_secrets_only_as_changed(
    db: AsyncSession,
) -> None:
    entry = await record(
        db,
        actor_id=None,
        actor_label="system",
        action="person.update",
        entity="test_person",
        entity_id=uuid4(),
        before={"name": "Anna", "password_hash": "$argon2id$old", "iban": "BE71096123456769"},
        after={"name": "Anna B", "password_hash": "$argon2id$new", "role": Role.MANAGER},
    )
    await db.commit()
    await db.refresh(entry)
    assert entry.before == {"name": "Anna", "password_hash": "changed"}
    assert entry.after == {"name": "Anna B", "password_hash": "changed", "role": "manager"}


async def test_unregistered_entity_records_no_field_values(db: AsyncSession) -> None:
    entry = await record(
        db,
        actor_id=None,
        actor_label="system",
        action="x.update",
        entity="never_registered",
        entity_id="1",
        after={"secret": "s3cret"},
    )
    assert entry.after == {}


def test_an_entry_names_the_person_who_acted_or_the_system() -> None:
    person = CurrentUser(
        id=uuid4(),
        role=Role.ALLOCATION_OFFICER,
        display_name="Officer Example",
        locale="en",
        agency_id=None,
        session_id=uuid4(),
        second_factor_done=True,
    )
    assert actor_fields(person) == {"actor_id": person.id, "actor_label": "Officer Example"}
    assert actor_fields(None) == {"actor_id": None, "actor_label": "system"}


async def test_pseudonymise_replaces_personal_values_of_one_record_only(db: AsyncSession) -> None:
    for entity_id in ("p1", "p2"):
        await record(
            db,
            actor_id=None,
            actor_label="system",
            action="person.create",
            entity="test_person",
            entity_id=entity_id,
            after={"name": "Anna", "city": "Gent"},
        )
    await db.commit()
    assert await pseudonymise(db, "test_person", "p1", salt="s") == 1
    await db.commit()
    rows = {e.entity_id: e.after for e in (await db.scalars(select(AuditEntry))).all()}
    assert rows["p1"] == {"name": pseudonym("Anna", "s"), "city": "Gent"}
    assert rows["p1"]["name"].startswith("erased-")
    assert rows["p2"] == {"name": "Anna", "city": "Gent"}


async def test_audit_page_lists_entries_newest_first(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    await add_entry(db, when=MARCH_1, action="person.older")
    await add_entry(db, when=MARCH_1 + timedelta(days=1), action="person.newer")
    response = await client.get("/admin/audit")
    assert response.status_code == 200
    assert response.text.index("person.newer") < response.text.index("person.older")
    assert "2 entries found." in response.text


async def test_audit_page_filters_by_actor_entity_id_action_and_dates(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    officer = await make_user(db, Role.FINANCE_OFFICER, "Olga Finance")
    await add_entry(db, when=MARCH_1, actor=officer, action="lease.sign", entity_id="L1")
    await add_entry(db, when=MARCH_1 + timedelta(days=3), action="lease.end", entity_id="L2")
    await add_entry(db, when=MARCH_1 + timedelta(days=9), action="unit.photo", entity="unit")

    async def actions(query: str) -> list[str]:
        response = await client.get(f"/admin/audit?{query}")
        assert response.status_code == 200
        return [a for a in ("lease.sign", "lease.end", "unit.photo") if a in response.text]

    assert await actions("actor=olga") == ["lease.sign"]
    assert await actions(f"actor={officer.id}") == ["lease.sign"]
    assert await actions("entity=unit") == ["unit.photo"]
    assert await actions("entity_id=L2") == ["lease.end"]
    assert await actions("action=lease.sign") == ["lease.sign"]
    assert await actions("from=2030-03-02&to=2030-03-04") == ["lease.end"]
    assert await actions("to=2030-03-04") == ["lease.sign", "lease.end"]
    assert await actions("from=2030-03-10") == ["unit.photo"]


async def test_audit_page_explains_a_bad_date_beside_the_field(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    response = await client.get("/admin/audit?from=yesterday")
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    assert 'aria-invalid="true"' in response.text


async def test_audit_page_is_paginated(client: AsyncTestClient[Litestar], db: AsyncSession) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    for n in range(55):
        await record(
            db,
            actor_id=None,
            actor_label="system",
            action=f"bulk.a{n:02d}",
            entity="test_person",
            entity_id=str(n),
        )
    await db.commit()
    first = await client.get("/admin/audit?action=")
    second = await client.get("/admin/audit?page=2")
    assert first.text.count("bulk.a") == 50
    assert second.text.count("bulk.a") == 5
    assert 'rel="next"' in first.text
    assert 'rel="prev"' in second.text


async def test_audit_api_returns_filtered_entries_as_json(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    await add_entry(db, when=MARCH_1, action="lease.sign", entity_id="L1")
    await add_entry(db, when=MARCH_1 + timedelta(days=1), action="lease.end", entity_id="L1")
    await add_entry(db, when=MARCH_1 + timedelta(days=2), action="lease.end", entity_id="L2")
    response = await client.get("/api/v1/audit", params={"entity_id": "L1", "per_page": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 1)
    [item] = body["items"]
    assert (item["action"], item["entity_id"], item["after"]) == (
        "lease.end",
        "L1",
        {"city": "Gent"},
    )
    dated = await client.get("/api/v1/audit", params={"from": "2030-03-03", "to": "2030-03-03"})
    assert [i["entity_id"] for i in dated.json()["items"]] == ["L2"]


async def test_audit_api_rejects_a_bad_date_as_problem_details(
    client: AsyncTestClient[Litestar], db: AsyncSession
) -> None:
    await sign_in(client, db, Role.ADMINISTRATOR)
    response = await client.get("/api/v1/audit", params={"from": "soon"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "role", [r for r in Role if r is not Role.ADMINISTRATOR], ids=lambda r: r.value
)
async def test_audit_log_is_for_administrators_only(
    client: AsyncTestClient[Litestar], db: AsyncSession, role: Role
) -> None:
    await sign_in(client, db, role)
    assert (await client.get("/admin/audit")).status_code == 403
    assert (await client.get("/api/v1/audit")).status_code == 403


async def test_anonymous_visitor_is_sent_to_sign_in_from_the_audit_page(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/admin/audit", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
    assert (await client.get("/api/v1/audit")).status_code == 401
