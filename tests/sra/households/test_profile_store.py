"""The profile services against the database: rows replaced in place, the income total kept,
documents exported and erased with their bytes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.audit import AuditEntry
from sra.db import make_sessionmaker
from sra.files import FileStore, StoredFile
from sra.households.document_store import add_document
from sra.households.documents import HouseholdDocument
from sra.households.personal_data import ERASERS, EXPORTERS
from sra.households.profile import IncomeInput, own_household, set_rows
from sra.identity.current import CurrentUser
from sra.identity.models import User
from sra.jobs import run_due_jobs
from sra.register.models import Household, HouseholdIncome, IncomeSource
from sra.settings import Settings
from tests.sra.register.records import add_agency, add_household_account

PDF = b"%PDF-1.7\nbody\n%%EOF\n"


def actor_of(user: User) -> CurrentUser:
    return CurrentUser(user.id, user.role, user.display_name, "en", user.agency_id, user.id, True)


async def loaded(db: AsyncSession, user: User) -> Household:
    household = await own_household(db, user.id)
    assert household is not None
    return household


async def test_replacing_incomes_keeps_unchanged_rows_and_the_total(db: AsyncSession) -> None:
    user, _ = await add_household_account(db, await add_agency(db))
    household = await loaded(db, user)
    actor = actor_of(user)
    work = IncomeInput(IncomeSource.WORK, 90000)
    await set_rows(db, household, "incomes", [work], actor=actor)
    kept_id = household.incomes[0].id

    errors = await set_rows(
        db,
        household,
        "incomes",
        [work, IncomeInput(IncomeSource.CHILD_BENEFIT, 18000)],
        actor=actor,
    )
    await db.commit()

    assert errors == {}
    assert household.monthly_income_cents == 108000
    ids = set((await db.scalars(select(HouseholdIncome.id))).all())
    assert kept_id in ids
    assert len(ids) == 2
    actions = (await db.scalars(select(AuditEntry.action))).all()
    assert actions.count("household.incomes_added") == 2


async def test_documents_are_exported_as_metadata_and_erased_with_their_bytes(
    db: AsyncSession, settings: Settings, var_dir: Path
) -> None:
    agency = await add_agency(db)
    user, _ = await add_household_account(db, agency)
    other_user, _ = await add_household_account(db, agency, "Petra Example")
    store = FileStore.from_settings(settings)
    for who in (user, other_user):
        await add_document(
            db,
            store,
            await loaded(db, who),
            kind="identity",
            data=PDF,
            filename="id.pdf",
            actor=actor_of(who),
        )
    await db.commit()
    household = await loaded(db, user)

    exported = await EXPORTERS["documents"](db, household)
    await ERASERS["documents"](db, household)
    await db.commit()
    await run_due_jobs(make_sessionmaker(db.bind), settings)  # type: ignore[arg-type]

    assert len(exported) == 1
    assert exported[0]["kind"] == "identity"
    assert exported[0]["filename"] == "id.pdf"
    assert exported[0]["size_bytes"] == len(PDF)
    remaining = (await db.scalars(select(HouseholdDocument.household_id))).all()
    assert remaining == [(await loaded(db, other_user)).id]
    assert await db.scalar(select(StoredFile.owner_id)) == str(remaining[0])
    files = [p for p in (var_dir / "media").rglob("*") if p.is_file()]
    assert len(files) == 1  # the other household's document only
