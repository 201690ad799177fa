"""Guarantee packages: plain-words promises, the administrator's pages, what landlords see."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.package_form import read_package
from contracts.packages import GuaranteePackage, PackageKind, describe
from sra.audit import AuditEntry
from sra.identity.roles import Role
from tests.landlord_portal.accounts import (
    Client,
    add_agency,
    add_landlord_account,
    add_staff,
    as_user,
    count,
    error_beside,
    post,
)

MANDATE_FORM = {
    "name": "Mandate 9 years",
    "kind": "mandate",
    "duration_years": "9",
    "vacancy_covered": "yes",
    "arrears_covered": "",
    "damage_cover_months": "2",
    "management_fee_percent": "10",
    "description": "Let in your name.",
}


def package(**fields: object) -> GuaranteePackage:
    defaults: dict[str, object] = dict(
        name="P",
        kind=PackageKind.HEAD_LEASE,
        duration_years=9,
        vacancy_covered=True,
        arrears_covered=True,
        damage_cover_months=0,
        management_fee_basis_points=0,
    )
    return GuaranteePackage(**{**defaults, **fields})


def test_a_head_lease_promises_the_rent_whatever_happens() -> None:
    promises = describe(package(duration_years=3))

    assert "The agreement runs for 3 years." in promises
    assert any(
        "The agency pays you the guaranteed rent every month, also while the flat is empty or"
        " the tenant does not pay." in p
        for p in promises
    )
    assert "The agency charges you no management fee." in promises


def test_a_mandate_says_which_losses_are_covered_and_the_fee() -> None:
    promises = describe(
        package(
            kind=PackageKind.MANDATE,
            vacancy_covered=True,
            arrears_covered=False,
            damage_cover_months=2,
            management_fee_basis_points=1250,
        )
    )

    assert "While the flat is empty, the agency pays you the rent." in promises
    assert any("does not pay" in p and "does not advance it" in p for p in promises)
    assert any("beyond normal wear is repaired up to 2 months of rent" in p for p in promises)
    assert "The agency keeps a management fee of 12.5 % of the rent." in promises
    assert not any("guaranteed rent every month" in p for p in promises)


def test_one_year_and_one_month_read_in_the_singular() -> None:
    promises = describe(package(duration_years=1, damage_cover_months=1))

    assert "The agreement runs for 1 year." in promises
    assert any("up to 1 month of rent" in p for p in promises)


@pytest.mark.parametrize(("text", "points"), [("10", 1000), ("12.5", 1250), ("12,75", 1275)])
def test_the_fee_in_percent_is_kept_exactly_in_basis_points(text: str, points: int) -> None:
    terms, errors = read_package({**MANDATE_FORM, "management_fee_percent": text})

    assert errors == {}
    assert terms is not None
    assert terms.management_fee_basis_points == points


def test_a_head_lease_always_covers_vacancy_and_arrears() -> None:
    terms, _errors = read_package({**MANDATE_FORM, "kind": "head_lease", "vacancy_covered": ""})

    assert terms is not None
    assert terms.vacancy_covered
    assert terms.arrears_covered


async def test_the_administrator_creates_a_package_landlords_then_read_in_plain_words(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    admin = await add_staff(db, agency, Role.ADMINISTRATOR, "admin@example.org")
    landlord_user, _landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, admin)

    response = await post(client, "/admin/packages/new", MANDATE_FORM)

    assert response.status_code == 303, response.text
    stored = await db.scalar(select(GuaranteePackage))
    assert stored is not None
    assert (stored.kind, stored.duration_years, stored.damage_cover_months) == (
        PackageKind.MANDATE,
        9,
        2,
    )
    assert stored.management_fee_basis_points == 1000
    assert stored.agency_id == agency.id
    assert await count(db, AuditEntry, AuditEntry.action == "guarantee_package.created") == 1
    await as_user(client, db, landlord_user)
    page = (await client.get("/landlord/packages")).text
    assert "Mandate 9 years" in page
    assert "While the flat is empty, the agency pays you the rent." in page
    assert "management fee of 10 %" in page
    api = (await client.get("/api/v1/packages")).json()
    assert [p["name"] for p in api] == ["Mandate 9 years"]
    assert "While the flat is empty, the agency pays you the rent." in api[0]["promises"]


BAD_PACKAGES = [
    ("name", {"name": ""}),
    ("kind", {"kind": "lease"}),
    ("duration_years", {"duration_years": "0"}),
    ("duration_years", {"duration_years": "100"}),
    ("duration_years", {"duration_years": "nine"}),
    ("damage_cover_months", {"damage_cover_months": "25"}),
    ("damage_cover_months", {"damage_cover_months": "-1"}),
    ("management_fee_percent", {"management_fee_percent": "60"}),
    ("management_fee_percent", {"management_fee_percent": "ten"}),
    ("management_fee_percent", {"management_fee_percent": "10.555"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_PACKAGES)
async def test_bad_package_input_shows_the_error_beside_the_field_and_stores_nothing(
    client: Client, db: AsyncSession, field: str, change: dict[str, str]
) -> None:
    agency = await add_agency(db)
    await as_user(client, db, await add_staff(db, agency, Role.ADMINISTRATOR, "a@example.org"))

    response = await post(client, "/admin/packages/new", {**MANDATE_FORM, **change})

    assert response.status_code == 400
    assert error_beside(response.text, field)
    assert await count(db, GuaranteePackage) == 0


async def test_edit_and_deactivate_a_package_which_landlords_then_no_longer_see(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    admin = await add_staff(db, agency, Role.ADMINISTRATOR, "admin@example.org")
    landlord_user, _landlord = await add_landlord_account(db, agency, "ada@example.org")
    await as_user(client, db, admin)
    await post(client, "/admin/packages/new", MANDATE_FORM)
    stored = await db.scalar(select(GuaranteePackage))
    assert stored is not None

    bad_edit = await post(
        client, f"/admin/packages/{stored.id}/edit", {**MANDATE_FORM, "duration_years": "0"}
    )
    edit = await post(
        client, f"/admin/packages/{stored.id}/edit", {**MANDATE_FORM, "name": "Mandate 6 years"}
    )
    off = await post(client, f"/admin/packages/{stored.id}/deactivate", {})

    assert bad_edit.status_code == 400
    assert (edit.status_code, off.status_code) == (303, 303)
    await db.refresh(stored)
    assert stored.name == "Mandate 6 years"
    assert stored.active is False
    assert "Mandate 6 years" in (await client.get("/admin/packages")).text
    await as_user(client, db, landlord_user)
    assert "Mandate 6 years" not in (await client.get("/landlord/packages")).text
    assert (await client.get("/api/v1/packages")).json() == []


async def test_packages_are_for_administrators_and_each_agency_sees_its_own(
    client: Client, db: AsyncSession
) -> None:
    agency = await add_agency(db)
    other = await add_agency(db, "Other agency")
    theirs = GuaranteePackage(
        agency_id=other.id, name="Theirs", kind=PackageKind.HEAD_LEASE, duration_years=9
    )
    db.add(theirs)
    await db.commit()

    for role in (Role.FINANCE_OFFICER, Role.INTAKE_OFFICER, Role.MANAGER):
        await as_user(client, db, await add_staff(db, agency, role, f"{role.value}@example.org"))
        assert (await client.get("/admin/packages")).status_code == 403, role
        assert (await post(client, "/admin/packages/new", MANDATE_FORM)).status_code == 403
    await as_user(client, db, await add_staff(db, agency, Role.ADMINISTRATOR, "a@example.org"))
    assert "Theirs" not in (await client.get("/admin/packages")).text
    assert (await client.get(f"/admin/packages/{theirs.id}/edit")).status_code == 404
    response = await post(client, f"/admin/packages/{theirs.id}/deactivate", {})
    assert response.status_code == 404
    await db.refresh(theirs)
    assert theirs.active is True
    assert await count(db, GuaranteePackage) == 1
