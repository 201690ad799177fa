"""The staff register page and its CSV export: filters, order, bad input, who may read it."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.households import register_query
from sra.households.register_query import RegisterCriteria
from sra.households.register_web import CSV_COLUMNS, spreadsheet_safe
from sra.identity.roles import Role
from sra.register.models import HouseholdStatus
from tests.sra.households.register_world import make_register
from tests.sra.register.intake_world import Client, error_beside, signed_in
from tests.sra.register.records import add_household, add_user


async def test_register_lists_most_points_first_and_ties_by_registration_date(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.officer)

    page = (await client.get("/staff/households")).text

    refs = [world.bram.reference, world.anna.reference, world.cleo.reference]
    assert [page.index(ref) for ref in refs] == sorted(page.index(ref) for ref in refs)
    assert world.dirk.reference not in page
    assert "3 households match." in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "active"}, {"anna", "bram"}),
        ({"status": "submitted"}, {"cleo"}),
        ({"size_min": "3"}, {"anna", "cleo"}),
        ({"size_max": "2"}, {"bram"}),
        ({"size_min": "2", "size_max": "4"}, {"anna"}),
        ({"wheelchair": "yes"}, {"anna"}),
        ({"step_free": "yes"}, {"anna", "bram"}),
        ({"area": "1050", "radius_km": "3"}, {"anna"}),
        ({"area": "Ixelles", "radius_km": "10"}, {"anna", "bram"}),
        ({"area": "schaer"}, {"bram"}),
        ({"urgency_min": "500"}, {"anna", "bram"}),
        ({"urgency_max": "300"}, {"cleo"}),
        ({"status": "active", "area": "1030", "radius_km": "1,5"}, {"bram"}),
    ],
)
async def test_register_filters(
    client: Client, db: AsyncSession, query: dict[str, str], expected: set[str]
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.caseworker)

    response = await client.get("/staff/households", params=query)

    assert response.status_code == 200
    assert world.names(response.text) == expected


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ({"size_min": "two"}, "size_min", "whole number"),
        ({"urgency_max": "1001"}, "urgency_max", "from 0 to 1000"),
        ({"urgency_min": "600", "urgency_max": "100"}, "urgency_max", "upper limit"),
        ({"radius_km": "five"}, "radius_km", "in figures"),
        ({"radius_km": "5"}, "area", "postcode or municipality"),
        ({"area": "9999", "radius_km": "5"}, "area", "not in the gazetteer"),
        ({"status": "sleeping"}, "status", "from the list"),
    ],
)
async def test_a_filter_typed_wrong_is_shown_beside_its_field_and_lists_nothing(
    client: Client, db: AsyncSession, query: dict[str, str], field: str, says: str
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.officer)

    for path in ("/staff/households", "/staff/households/export.csv"):
        response = await client.get(path, params=query)

        assert response.status_code == 400
        assert says in error_beside(response.text, field)
        assert world.names(response.text) == set()
    exports = await db.scalars(
        select(AuditEntry).where(AuditEntry.action == "household.register.export")
    )
    assert list(exports) == []


async def test_register_pages_split_the_list_in_register_order(db: AsyncSession) -> None:
    world = await make_register(db)
    criteria = RegisterCriteria()

    first = await register_query.search(db, world.agency.id, criteria, page=1, per_page=2)
    second = await register_query.search(db, world.agency.id, criteria, page=2, per_page=2)

    assert [h.id for h in first.households] == [world.bram.id, world.anna.id]
    assert [h.id for h in second.households] == [world.cleo.id]
    assert (first.total, first.pages) == (3, 2)


async def test_csv_export_holds_the_filtered_list_without_free_text_or_contact_details(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    await signed_in(client, db, world.officer)

    response = await client.get("/staff/households/export.csv", params={"status": "active"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row[0] for row in rows[1:]] == [world.bram.reference, world.anna.reference]
    anna = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert anna["wheelchair"] == "yes"
    assert anna["members"] == "3"
    assert anna["preferred_areas"] == "Ixelles"
    assert "carer" not in response.text
    assert "anna@example.org" not in response.text
    entry = await db.scalar(
        select(AuditEntry).where(AuditEntry.action == "household.register.export")
    )
    assert entry is not None
    assert entry.actor_id == world.officer.id
    assert entry.after == {"rows": 2, "filters": {"status": "active"}}


async def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    names = ['=HYPERLINK("http://evil.example")', "+32 470 00 00 00", "-1+1", "@SUM(A1)"]
    for name in names:
        await add_household(db, world.agency, name, status=HouseholdStatus.DRAFT)
    await db.commit()
    await signed_in(client, db, world.officer)

    response = await client.get("/staff/households/export.csv", params={"status": "draft"})

    exported = {row[1] for row in csv.reader(io.StringIO(response.text.lstrip("\ufeff")))}
    assert {"'" + name for name in names} <= exported
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in exported)


def test_spreadsheet_safe_leaves_plain_text_and_numbers_alone() -> None:
    assert spreadsheet_safe("Olena Приклад") == "Olena Приклад"
    assert spreadsheet_safe(700) == "700"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe("\t=1") == "'\t=1"


async def test_only_allocation_officers_and_caseworkers_read_the_register(
    client: Client, db: AsyncSession
) -> None:
    world = await make_register(db)
    for role in (Role.HOUSEHOLD, Role.LANDLORD, Role.INTAKE_OFFICER, Role.MANAGER):
        await signed_in(client, db, await add_user(db, role, world.agency.id))
        for path in ("/staff/households", "/staff/households/export.csv"):
            assert (await client.get(path)).status_code == 403, (role, path)
    for user in (world.officer, world.caseworker):
        await signed_in(client, db, user)
        assert (await client.get("/staff/households")).status_code == 200
