"""Offering a flat: the form stores a draft with a geocoded building; bad input stores nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.notifications import Notification
from sra.register.models import Building, Unit, UnitStatus
from sra.register.rent_caps import UnitType
from tests.landlord_portal.listing_steps import (
    Client,
    create_unit,
    listing_counts,
    post_form,
    signed_in_owner,
    unit_form,
)


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'<span class="field-error" id="f-{field}-error">([^<]*)</span>', html)
    assert found, f"no error beside {field}"
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html), f"{field} not marked"
    return found.group(1)


async def test_offering_a_flat_stores_a_draft_unit_in_a_geocoded_building(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)

    unit_id = await create_unit(client, owner)

    unit = await db.scalar(select(Unit).where(Unit.label == "2nd floor left"))
    assert unit is not None
    assert str(unit.id) == unit_id
    building = await db.get_one(Building, unit.building_id)
    assert building.landlord_id == owner.landlord_id
    assert (building.postcode, building.country, building.floors, building.has_lift) == (
        "1000",
        "BE",
        4,
        True,
    )
    assert building.lat == pytest.approx(50.85, abs=0.05)
    assert building.lon == pytest.approx(4.35, abs=0.05)
    assert unit.status is UnitStatus.DRAFT
    assert unit.unit_type is UnitType.APARTMENT
    assert (unit.proposed_rent_cents, unit.charges_cents) == (75050, 6000)
    assert (unit.min_occupants, unit.max_occupants, unit.surface_m2) == (2, 4, 68)
    assert unit.step_free
    assert not unit.wheelchair_accessible
    assert not unit.furnished
    assert unit.package_id == owner.package_id
    page = await client.get(f"/landlord/units/{unit_id}")
    assert page.status_code == 200
    assert "2nd floor left" in page.text
    assert "Head lease 9 years" in page.text


async def test_a_second_flat_can_go_into_an_existing_building(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    first = await create_unit(client, owner)
    building_id = (await db.get_one(Unit, first)).building_id

    await create_unit(client, owner, building_id=str(building_id), street="", label="Ground floor")

    units = (await db.scalars(select(Unit).where(Unit.building_id == building_id))).all()
    assert sorted(u.label for u in units) == ["2nd floor left", "Ground floor"]
    assert await listing_counts(db) == (1, 2, 0)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"proposed_rent": "seven hundred"}, "proposed_rent", "amount"),
        ({"surface_m2": "-40"}, "surface_m2", "positive"),
        ({"min_occupants": "5", "max_occupants": "3"}, "max_occupants", "at least"),
        ({"postcode": "9999", "municipality": "Nowhere"}, "postcode", "do not know"),
        ({"postcode": "12"}, "postcode", "four digits"),
        ({"bedrooms": "two"}, "bedrooms", "whole number"),
        ({"available_from": "next week"}, "available_from", "date"),
        ({"label": ""}, "label", "name"),
        ({"country": "FR"}, "country", "Belgium"),
        ({"energy_label": "Z"}, "energy_label", "A++"),
        ({"package_id": "00000000-0000-0000-0000-000000000000"}, "package_id", "packages"),
    ],
)
async def test_bad_input_is_answered_beside_the_field_and_nothing_is_stored(
    client: Client, db: AsyncSession, changes: dict[str, str], field: str, message: str
) -> None:
    owner = await signed_in_owner(client, db)

    response = await post_form(client, "/landlord/units/new", unit_form(owner, **changes))

    assert response.status_code == 400
    if field == "package_id":
        assert "Please choose one of the packages listed." in response.text
    else:
        assert message in error_beside(response.text, field)
    assert await listing_counts(db) == (0, 0, 0)
    # What was typed is shown again, so the landlord corrects only the wrong field.
    assert 'value="Rue Haute 12"' in response.text or field == "street"


async def test_a_draft_can_be_changed_and_bad_changes_store_nothing(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    form = unit_form(owner, proposed_rent="800", furnished="on", unit_type="studio", bedrooms="0")

    response = await post_form(client, f"/landlord/units/{unit_id}/edit", form)
    assert response.status_code == 303

    bad = await post_form(
        client, f"/landlord/units/{unit_id}/edit", unit_form(owner, proposed_rent="lots")
    )
    assert bad.status_code == 400
    assert "amount" in error_beside(bad.text, "proposed_rent")
    db.expire_all()
    unit = await db.get_one(Unit, unit_id)
    assert (unit.proposed_rent_cents, unit.furnished, unit.unit_type) == (
        80000,
        True,
        UnitType.STUDIO,
    )


async def test_sending_a_draft_submits_it_notifies_and_locks_it(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)

    response = await post_form(client, f"/landlord/units/{unit_id}/submit", {})

    assert response.status_code == 303
    db.expire_all()
    assert (await db.get_one(Unit, unit_id)).status is UnitStatus.SUBMITTED
    notices = (await db.scalars(select(Notification))).all()
    assert [n.user_id for n in notices] == [owner.user_id]
    changed = await post_form(client, f"/landlord/units/{unit_id}/edit", unit_form(owner))
    assert changed.status_code == 409
    assert (
        await client.get(f"/landlord/units/{unit_id}/edit", follow_redirects=False)
    ).status_code == 302


async def test_a_draft_without_package_cannot_be_sent(client: Client, db: AsyncSession) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner, package_id="")

    response = await post_form(client, f"/landlord/units/{unit_id}/submit", {})

    assert response.status_code == 400
    assert "choose a guarantee package" in response.text
    db.expire_all()
    assert (await db.get_one(Unit, unit_id)).status is UnitStatus.DRAFT


async def test_the_building_address_is_checked_when_changed(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    unit_id = await create_unit(client, owner)
    building_id = (await db.get_one(Unit, unit_id)).building_id
    form = {k: v for k, v in unit_form(owner).items() if k in ("street", "country", "floors")}

    bad = await post_form(
        client,
        f"/landlord/buildings/{building_id}",
        {**form, "postcode": "9999", "municipality": "Nowhere"},
    )
    good = await post_form(
        client,
        f"/landlord/buildings/{building_id}",
        {**form, "postcode": "1050", "municipality": "Ixelles"},
    )

    assert bad.status_code == 400
    assert "do not know" in error_beside(bad.text, "postcode")
    assert good.status_code == 303
    db.expire_all()
    building = await db.get_one(Building, building_id)
    assert (building.postcode, building.municipality) == ("1050", "Ixelles")
    assert building.lat == pytest.approx(50.82, abs=0.05)


async def test_the_form_offers_the_agencys_packages_with_their_promises(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)

    page = await client.get("/landlord/units/new")

    assert page.status_code == 200
    assert f'name="package_id" value="{owner.package_id}"' in page.text
    assert "The agreement runs for 9 years." in page.text
    assert "also while the flat is empty or the tenant does not pay" in page.text
    assert 'name="photo"' not in page.text  # photos come once the draft exists
