"""Draft subleases: one per accepted offer, with the rent the household was offered."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import leases
from contracts.subleases import Sublease, SubleaseError, SubleaseStatus, create_draft_sublease
from sra.audit import AuditEntry
from sra.identity.roles import Role
from sra.register.models import Household, Unit
from tests.sra.register.records import add_agency, add_household, add_landlord, add_unit, add_user


async def unit_and_household(db: AsyncSession) -> tuple[Unit, Household]:
    agency = await add_agency(db)
    landlord = await add_landlord(db, agency, "Owner", await add_user(db, Role.LANDLORD, agency.id))
    unit = await add_unit(db, landlord, "Flat 1")
    unit.tenant_rent_cents, unit.charges_cents = 48000, 5500
    household = await add_household(db, agency, "Olena Example")
    await db.commit()
    return unit, household


async def subleases(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Sublease)) or 0)


async def test_a_draft_takes_the_units_tenant_rent_and_charges(db: AsyncSession) -> None:
    unit, household = await unit_and_household(db)

    draft = await create_draft_sublease(db, unit.id, household.id, uuid4())
    await db.commit()

    assert (draft.status, draft.rent_cents, draft.charges_cents) == (
        SubleaseStatus.DRAFT,
        48000,
        5500,
    )
    assert draft.agency_id == household.agency_id
    assert "sublease.drafted" in set(await db.scalars(select(AuditEntry.action)))


async def test_the_same_offer_drafts_one_sublease_however_often_it_is_asked(
    db: AsyncSession,
) -> None:
    unit, household = await unit_and_household(db)
    offer_id = uuid4()

    first = await leases.create_draft_sublease(
        db, unit.id, household.id, offer_id, rent_cents=45000, charges_cents=5000
    )
    await db.commit()
    second = await leases.create_draft_sublease(db, unit.id, household.id, offer_id)
    await db.commit()

    assert second.id == first.id
    assert (second.rent_cents, second.charges_cents) == (45000, 5000)
    assert await subleases(db) == 1


async def test_without_a_tenant_rent_no_draft_is_made(db: AsyncSession) -> None:
    unit, household = await unit_and_household(db)
    unit.tenant_rent_cents = None
    await db.commit()

    with pytest.raises(SubleaseError):
        await create_draft_sublease(db, unit.id, household.id, uuid4())
    await db.rollback()

    assert await subleases(db) == 0
