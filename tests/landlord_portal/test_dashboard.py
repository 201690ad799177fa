"""The landlord dashboard: status in plain words, lease, guaranteed rent, next payout, notices."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.leases import HeadLease, LeaseStatus
from contracts.packages import PackageKind
from landlord_portal.dashboard import next_payout_date
from sra.notifications import notify
from sra.register.models import Unit, UnitStatus
from sra.register.rent_caps import RentCap, UnitType
from tests.landlord_portal.listing_steps import Client, create_unit, signed_in_owner
from tests.sra.register.records import add_unit


@pytest.mark.parametrize(
    ("today", "start", "payout"),
    [
        (date(2026, 3, 2), date(2026, 1, 1), date(2026, 3, 5)),  # February's rent, due soon
        (date(2026, 3, 10), date(2026, 1, 1), date(2026, 4, 5)),
        (date(2026, 3, 2), date(2026, 3, 1), date(2026, 4, 5)),  # March is paid in April
        (date(2026, 1, 10), date(2026, 4, 1), date(2026, 5, 5)),  # lease starts later
        (date(2026, 12, 20), date(2026, 1, 1), date(2027, 1, 5)),
    ],
)
def test_next_payout_is_the_5th_after_the_month_it_pays(
    today: date, start: date, payout: date
) -> None:
    assert next_payout_date(today, start) == payout


async def test_dashboard_shows_status_lease_rent_and_payout_per_unit(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    draft = await add_unit(db, owner.landlord, "Draft flat", status=UnitStatus.DRAFT)
    approved = await add_unit(db, owner.landlord, "Approved flat", status=UnitStatus.APPROVED)
    let = await add_unit(db, owner.landlord, "Let flat", status=UnitStatus.AVAILABLE)
    common = {
        "landlord_id": owner.landlord_id,
        "package_id": owner.package_id,
        "kind": PackageKind.HEAD_LEASE,
        "duration_years": 9,
    }
    db.add(
        HeadLease(
            unit_id=approved.id,
            guaranteed_rent_cents=71000,
            start_date=date(2026, 6, 1),
            status=LeaseStatus.PROPOSED,
            **common,
        )
    )
    db.add(
        HeadLease(
            unit_id=let.id,
            guaranteed_rent_cents=82000,
            start_date=date(2020, 1, 1),
            status=LeaseStatus.ACCEPTED,
            accepted_at=datetime(2020, 1, 1, tzinfo=UTC),
            index_base_month=date(2019, 12, 1),
            **common,
        )
    )
    await db.commit()

    page = await client.get("/landlord")

    assert page.status_code == 200
    text = page.text
    assert "You have started describing this flat but not sent it to us yet." in text
    assert "Proposed" in text
    assert "Read and accept the terms" in text
    assert "Accepted" in text
    assert "€820.00" in text
    assert "€710.00" in text
    expected = next_payout_date(date.today(), date(2020, 1, 1))
    assert expected.strftime("%b") in text
    assert f"{expected.day}, {expected.year}" in text
    assert "once the lease is accepted" in text
    assert f'href="/landlord/units/{draft.id}"' in text


async def test_dashboard_lists_the_latest_notifications(client: Client, db: AsyncSession) -> None:
    owner = await signed_in_owner(client, db)
    await notify(
        db,
        user_id=owner.user_id,
        message="Your unit {unit} was approved. The agency will propose the lease terms.",
        params={"unit": "Flat 7"},
        link="/landlord",
        email=False,
    )
    await db.commit()

    page = await client.get("/landlord")

    assert "Your unit Flat 7 was approved." in page.text


async def test_a_rent_above_the_cap_is_flagged_with_the_cap_shown(
    client: Client, db: AsyncSession
) -> None:
    owner = await signed_in_owner(client, db)
    db.add(
        RentCap(
            agency_id=owner.agency_id,
            unit_type=UnitType.APARTMENT,
            bedrooms=2,
            cap_cents=70000,
            base_month=date(2025, 12, 1),
        )
    )
    await db.commit()
    high = await create_unit(client, owner, proposed_rent="750,50")
    low = await create_unit(client, owner, proposed_rent="650", label="Other flat")

    flagged = await client.get(f"/landlord/units/{high}")
    fine = await client.get(f"/landlord/units/{low}")

    assert flagged.status_code == 200
    assert 'class="warning"' in flagged.text
    assert "€750.50" in flagged.text
    assert "€700.00" in flagged.text
    assert 'class="warning"' not in fine.text
    db.expire_all()
    assert (await db.get_one(Unit, high)).proposed_rent_cents == 75050  # flagged, not refused
