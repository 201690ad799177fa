"""Intake officers' pages: queue, search, calendar, visit, checklist, location, approve, reject."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files import StoredFile
from sra.identity.roles import Role
from sra.register import intake
from sra.register.inspection import PHOTO_KIND, CheckResult, InspectionReport
from sra.register.models import Building, Unit, UnitStatus
from sra.register.rent_caps import set_cap
from sra.register.unit_status import move_unit
from tests.sra.register.intake_world import (
    Client,
    World,
    acting,
    error_beside,
    make_world,
    post,
    signed_in,
)
from tests.sra.register.records import add_landlord, add_unit, add_user

S = UnitStatus
GOOD_CHECKLIST = {
    **{f"check_{item}": "ok" for item in ("electricity", "humidity", "ventilation", "windows")},
    "check_gas": "not_applicable",
    "check_stairs": "defect",
    "smoke_detectors_count": "2",
    "smoke_detectors_ok": "yes",
    "energy_label": "C",
    "meter_electricity_kwh": "12345,6",
    "meter_gas_m3": "",
    "meter_water_m3": "321.5",
    "notes": "Loose railing on the stairs.",
}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def reload(db: AsyncSession, unit: Unit) -> Unit:
    await db.refresh(unit)
    return unit


async def scheduled(db: AsyncSession, world: World, on: date | None = None) -> InspectionReport:
    from datetime import time

    from sra.register.intake import schedule_inspection

    report = await schedule_inspection(
        db,
        world.unit,
        on=on or date.today() + timedelta(days=2),
        at=time(10, 30),
        inspector_id=world.officer.id,
        actor=acting(world.officer),
    )
    await db.commit()
    return report


async def test_landlords_households_and_allocation_officers_are_refused_intake_pages(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    household = await add_user(db, Role.HOUSEHOLD, world.agency.id)
    allocation = await add_user(db, Role.ALLOCATION_OFFICER, world.agency.id)
    pages = ["/staff/intake", "/staff/intake/calendar", f"/staff/intake/units/{world.unit.id}"]
    for user in (world.landlord_user, household, allocation):
        await signed_in(client, db, user)
        for page in pages:
            assert (await client.get(page)).status_code == 403, (user.role, page)
    for user in (world.landlord_user, household):
        await signed_in(client, db, user)
        assert (await client.get("/staff/units/available")).status_code == 403
    await signed_in(client, db, allocation)
    assert (await client.get("/staff/units/available")).status_code == 200


async def test_queue_shows_submitted_units_longest_waiting_first(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)  # "Flat 1", loaded as submitted
    late = await add_unit(db, world.landlord, "Flat 2", status=S.DRAFT)
    draft = await add_unit(db, world.landlord, "Flat 3", status=S.DRAFT)
    await db.commit()
    await move_unit(db, late, S.SUBMITTED, actor=acting(world.landlord_user))
    await db.commit()
    await signed_in(client, db, world.officer)

    page = (await client.get("/staff/intake")).text

    assert page.index(str(world.unit.id)) < page.index(str(late.id))
    assert str(draft.id) not in page


async def test_queue_filters_by_place_size_access_status_and_text(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    other = await add_landlord(db, world.agency, "Zoë Marchand")
    ramp = await add_unit(db, other, "Ramp flat", street="Rue Haute 5", status=S.SUBMITTED)
    ramp.bedrooms, ramp.wheelchair_accessible, ramp.step_free = 3, True, True
    building = await db.get(Building, ramp.building_id)
    assert building is not None
    building.municipality = "Namur"
    inspected = await add_unit(db, other, "Done flat", status=S.INSPECTED)
    await db.commit()
    await signed_in(client, db, world.officer)

    async def found(**query: str) -> set[str]:
        page = (await client.get("/staff/intake", params=query)).text
        return {u.label for u in (world.unit, ramp, inspected) if str(u.id) in page}

    assert await found() == {"Flat 1", "Ramp flat", "Done flat"}
    assert await found(municipality="Namur") == {"Ramp flat"}
    assert await found(bedrooms="3") == {"Ramp flat"}
    assert await found(accessibility="wheelchair") == {"Ramp flat"}
    assert await found(status="inspected") == {"Done flat"}
    assert await found(q="marchand") == {"Ramp flat", "Done flat"}
    assert await found(q="rue haute") == {"Ramp flat"}
    assert await found(q="100%_") == set()

    response = await client.get("/staff/intake", params={"bedrooms": "three"})
    assert response.status_code == 400
    assert "whole number" in error_beside(response.text, "bedrooms")


async def test_another_agencys_unit_answers_404(client: Client, db: AsyncSession) -> None:
    mine = await make_world(db, name="Mine")
    theirs = await make_world(db, name="Theirs")
    await signed_in(client, db, mine.officer)
    assert (await client.get(f"/staff/intake/units/{theirs.unit.id}")).status_code == 404
    response = await post(client, f"/staff/intake/units/{theirs.unit.id}/reject", {"reason": "x"})
    assert response.status_code == 404
    assert str(theirs.unit.id) not in (await client.get("/staff/intake")).text


async def test_planning_a_visit_schedules_the_unit_and_fills_the_calendar(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    await signed_in(client, db, world.officer)
    day = date.today() + timedelta(days=3)

    response = await post(
        client,
        f"/staff/intake/units/{world.unit.id}/schedule",
        {"on": day.isoformat(), "at": "14:30", "inspector": str(world.officer.id)},
    )

    assert response.status_code == 303
    assert (await reload(db, world.unit)).status is S.INSPECTION_SCHEDULED
    week = (await client.get("/staff/intake/calendar", params={"week": day.isoformat()})).text
    assert "14:30" in week
    assert str(world.unit.id) in week
    assert world.officer.display_name in week
    other_week = day + timedelta(days=7)
    assert (
        str(world.unit.id)
        not in (
            await client.get("/staff/intake/calendar", params={"week": other_week.isoformat()})
        ).text
    )


async def test_visit_with_bad_date_time_or_inspector_is_refused_and_nothing_stored(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    await signed_in(client, db, world.officer)
    response = await post(
        client,
        f"/staff/intake/units/{world.unit.id}/schedule",
        {"on": (date.today() - timedelta(days=1)).isoformat(), "at": "25:99", "inspector": "x"},
    )
    assert response.status_code == 400
    assert "later day" in error_beside(response.text, "on")
    assert "hours:minutes" in error_beside(response.text, "at")
    assert error_beside(response.text, "inspector")
    assert (await reload(db, world.unit)).status is S.SUBMITTED
    assert await db.scalar(select(func.count()).select_from(InspectionReport)) == 0


async def test_checklist_with_bad_numbers_shows_errors_beside_fields_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    report = await scheduled(db, world)
    await signed_in(client, db, world.officer)
    bad = {
        **GOOD_CHECKLIST,
        "smoke_detectors_count": "-1",
        "meter_electricity_kwh": "-5",
        "meter_water_m3": "lots",
    }
    del bad["check_gas"]

    response = await post(
        client,
        f"/staff/intake/units/{world.unit.id}/inspection",
        bad,
        files={"photos": ("wall.png", png(), "image/png")},
    )

    assert response.status_code == 400
    assert "negative" in error_beside(response.text, "smoke_detectors_count")
    assert "negative" in error_beside(response.text, "meter_electricity_kwh")
    assert "in figures" in error_beside(response.text, "meter_water_m3")
    assert error_beside(response.text, "check_gas")
    assert 'value="lots"' in response.text  # what was typed comes back
    fresh = await db.get(InspectionReport, report.id, populate_existing=True)
    assert fresh is not None
    assert fresh.completed_at is None
    assert fresh.electricity is None
    assert (await reload(db, world.unit)).status is S.INSPECTION_SCHEDULED
    assert await db.scalar(select(func.count()).select_from(StoredFile)) == 0

    text_count = {**GOOD_CHECKLIST, "smoke_detectors_count": "two"}
    response = await post(client, f"/staff/intake/units/{world.unit.id}/inspection", text_count)
    assert response.status_code == 400
    assert "whole number" in error_beside(response.text, "smoke_detectors_count")


async def test_photo_that_is_really_a_pdf_is_refused(client: Client, db: AsyncSession) -> None:
    world = await make_world(db)
    await scheduled(db, world)
    await signed_in(client, db, world.officer)
    response = await post(
        client,
        f"/staff/intake/units/{world.unit.id}/inspection",
        GOOD_CHECKLIST,
        files={"photos": ("photo.jpg", b"%PDF-1.7\n...", "image/jpeg")},
    )
    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in error_beside(response.text, "photos")
    assert (await reload(db, world.unit)).status is S.INSPECTION_SCHEDULED


async def test_checklist_records_the_inspection_and_photos_only_staff_can_see(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    report = await scheduled(db, world)
    await signed_in(client, db, world.officer)

    response = await post(
        client,
        f"/staff/intake/units/{world.unit.id}/inspection",
        GOOD_CHECKLIST,
        files={"photos": ("wall.png", png(), "image/png")},
    )

    assert response.status_code == 303
    unit = await reload(db, world.unit)
    assert unit.status is S.INSPECTED
    assert unit.energy_label == "C"
    done = await db.get(InspectionReport, report.id, populate_existing=True)
    assert done is not None
    assert done.completed_at is not None
    assert (done.stairs, done.gas) == (CheckResult.DEFECT, CheckResult.NOT_APPLICABLE)
    assert (done.smoke_detectors_count, done.smoke_detectors_ok) == (2, True)
    assert (done.meter_electricity_kwh, done.meter_gas_m3, done.meter_water_m3) == (
        12345.6,
        None,
        321.5,
    )
    photo = await db.scalar(select(StoredFile).where(StoredFile.owner_kind == PHOTO_KIND))
    assert photo is not None
    assert photo.content_type == "image/jpeg"
    shown = await client.get(f"/files/{photo.id}")
    assert shown.status_code == 200
    assert shown.content.startswith(b"\xff\xd8\xff")
    await signed_in(client, db, world.landlord_user)
    assert (await client.get(f"/files/{photo.id}")).status_code == 404


async def test_location_is_checked_then_placed_by_hand(client: Client, db: AsyncSession) -> None:
    world = await make_world(db)
    await signed_in(client, db, world.officer)
    path = f"/staff/intake/units/{world.unit.id}/location"

    response = await post(client, path, {"lat": "91", "lon": "east"})
    assert response.status_code == 400
    assert "-90 to 90" in error_beside(response.text, "lat")
    assert "in figures" in error_beside(response.text, "lon")
    building = await db.get(Building, world.unit.building_id)
    assert building is not None
    assert building.lat is None

    assert (await post(client, path, {"lat": "50,8466", "lon": "4.3528"})).status_code == 303
    building = await db.get(Building, world.unit.building_id, populate_existing=True)
    assert building is not None
    assert (building.lat, building.lon) == (50.8466, 4.3528)


async def test_approval_needs_both_rents_in_figures(client: Client, db: AsyncSession) -> None:
    world = await make_world(db, S.INSPECTED)
    await signed_in(client, db, world.officer)
    path = f"/staff/intake/units/{world.unit.id}/approve"

    response = await post(client, path, {"guaranteed_rent": "six hundred", "tenant_rent": ""})
    assert response.status_code == 400
    assert "in figures" in error_beside(response.text, "guaranteed_rent")
    assert error_beside(response.text, "tenant_rent")
    assert (await reload(db, world.unit)).status is S.INSPECTED

    response = await post(client, path, {"guaranteed_rent": "650", "tenant_rent": "700,50"})
    assert response.status_code == 303
    unit = await reload(db, world.unit)
    assert unit.status is S.APPROVED
    assert (unit.guaranteed_rent_cents, unit.tenant_rent_cents) == (65000, 70050)
    page = (await client.get(f"/staff/intake/units/{unit.id}")).text
    assert "higher than the guaranteed rent" in page
    assert f"/staff/leases/new?unit={unit.id}" in page


async def test_the_guaranteed_rent_may_not_go_above_the_rent_cap_shown_on_the_page(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db, S.INSPECTED)
    world.unit.proposed_rent_cents = 72000
    unit_type, bedrooms = world.unit.unit_type, world.unit.bedrooms
    await set_cap(db, world.agency.id, unit_type, bedrooms, 68000, date(2024, 12, 1))
    await db.commit()  # no health index for the base month: the cap stays 680.00
    await signed_in(client, db, world.officer)
    page = await client.get(f"/staff/intake/units/{world.unit.id}")
    cap_shown = page.text.split('id="rent-cap"')[1].split("</dd>")[0]
    assert "680.00" in cap_shown
    assert "rent is above it" in cap_shown, cap_shown
    path = f"/staff/intake/units/{world.unit.id}/approve"

    response = await post(client, path, {"guaranteed_rent": "680.01", "tenant_rent": "500"})

    assert response.status_code == 400
    beside = error_beside(response.text, "guaranteed_rent")
    assert "above the rent cap" in beside
    assert "680.00" in beside
    unit = await reload(db, world.unit)
    assert (unit.status, unit.guaranteed_rent_cents) == (S.INSPECTED, None)

    assert (
        await post(client, path, {"guaranteed_rent": "680", "tenant_rent": "500"})
    ).status_code == 303
    unit = await reload(db, world.unit)
    assert (unit.status, unit.guaranteed_rent_cents) == (S.APPROVED, 68000)


async def test_the_rent_cap_holds_for_every_caller_of_the_approval(db: AsyncSession) -> None:
    world = await make_world(db, S.INSPECTED)
    unit_type, bedrooms = world.unit.unit_type, world.unit.bedrooms
    await set_cap(db, world.agency.id, unit_type, bedrooms, 68000, date(2024, 12, 1))
    await db.commit()

    with pytest.raises(intake.AboveRentCap) as above:
        await intake.approve(
            db, world.unit, guaranteed_rent_cents=68001, tenant_rent_cents=50000, actor=None
        )

    assert above.value.cap_cents == 68000
    assert (world.unit.status, world.unit.guaranteed_rent_cents) == (S.INSPECTED, None)


async def test_a_home_without_a_rent_cap_says_so_and_takes_any_rent(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db, S.INSPECTED)
    await signed_in(client, db, world.officer)
    page = await client.get(f"/staff/intake/units/{world.unit.id}")
    assert "None set for this kind of home and size" in page.text
    path = f"/staff/intake/units/{world.unit.id}/approve"

    response = await post(client, path, {"guaranteed_rent": "4000", "tenant_rent": "500"})

    assert response.status_code == 303
    assert (await reload(db, world.unit)).guaranteed_rent_cents == 400000


async def test_rejection_needs_a_reason_which_is_kept(client: Client, db: AsyncSession) -> None:
    world = await make_world(db, S.INSPECTED)
    await signed_in(client, db, world.officer)
    path = f"/staff/intake/units/{world.unit.id}/reject"

    response = await post(client, path, {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in error_beside(response.text, "reason")
    assert (await reload(db, world.unit)).status is S.INSPECTED

    assert (await post(client, path, {"reason": "Mould in the bedroom"})).status_code == 303
    assert (await reload(db, world.unit)).status is S.REJECTED
    assert "Mould in the bedroom" in (await client.get(f"/staff/intake/units/{world.unit.id}")).text


async def test_checklist_page_exists_only_while_a_visit_is_planned(
    client: Client, db: AsyncSession
) -> None:
    world = await make_world(db)
    await signed_in(client, db, world.officer)
    path = f"/staff/intake/units/{world.unit.id}/inspection"
    assert (await client.get(path)).status_code == 404

    await scheduled(db, world)
    page = await client.get(path)
    assert page.status_code == 200
    for name in ("check_humidity", "smoke_detectors_count", "meter_gas_m3", "photos"):
        assert f'name="{name}"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
