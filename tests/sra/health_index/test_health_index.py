"""The health index table: months entered one by one or from a CSV file, all lines or none."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.health_index import HealthIndex, import_csv, index_for, read_csv, set_index

GOOD_CSV = "month,value\n2025-01,128.45\n2025-02,128.71\n"


async def test_index_for_any_day_of_an_entered_month(db: AsyncSession) -> None:
    await set_index(db, date(2025, 1, 1), Decimal("128.45"))

    assert await index_for(db, date(2025, 1, 17)) == Decimal("128.45")
    assert await index_for(db, date(2025, 2, 1)) is None


async def test_setting_a_month_again_corrects_it(db: AsyncSession) -> None:
    await set_index(db, date(2025, 1, 1), Decimal("128.45"))
    await set_index(db, date(2025, 1, 1), Decimal("128.50"))

    assert await index_for(db, date(2025, 1, 1)) == Decimal("128.50")
    assert await db.scalar(select(func.count()).select_from(HealthIndex)) == 1


async def test_csv_import_stores_every_month(db: AsyncSession) -> None:
    count, errors = await import_csv(db, GOOD_CSV)

    assert (count, errors) == (2, [])
    assert await index_for(db, date(2025, 2, 1)) == Decimal("128.71")


async def test_csv_import_with_one_bad_line_stores_nothing(db: AsyncSession) -> None:
    count, errors = await import_csv(db, "2025-01,128.45\n2025-13,129\n2025-03,abc\n2025-04,1\n")
    await db.commit()

    assert count == 0
    assert [e.line for e in errors] == [2, 3]
    assert "year-month" in errors[0].message
    assert "positive number" in errors[1].message
    assert await db.scalar(select(func.count()).select_from(HealthIndex)) == 0


def test_csv_reader_accepts_header_bom_blank_lines_and_decimal_commas() -> None:
    values, errors = read_csv('\ufeffMonth,Value\n\n2025-01-01,"128,45"\n')

    assert errors == []
    assert values == {date(2025, 1, 1): Decimal("128.45")}


def test_csv_reader_names_each_wrong_line() -> None:
    _, errors = read_csv("2025-01,128.45\n2025-01,128.50\n2025-02\n2025-03,-1\n2025-04,1.234\n")

    assert [e.line for e in errors] == [2, 3, 4, 5]
    assert "twice" in errors[0].message
    assert "two values" in errors[1].message


def test_an_empty_file_is_an_error() -> None:
    _, errors = read_csv("month,value\n")

    assert len(errors) == 1
