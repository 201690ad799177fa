"""The Belgian health index (month -> value), entered or imported by the finance officer.

One table for the whole platform (the index is national). Rent caps, and later lease
indexation, read it through :func:`index_for`. Months are stored as their first day.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import CheckConstraint, Date, Numeric, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base
from sra.i18n import gettext as _

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")
MAX_VALUE = Decimal("999999.99")
MAX_IMPORT_LINES = 2000


class HealthIndex(Base):
    __tablename__ = "health_index"
    __table_args__ = (CheckConstraint("value > 0", name="value_positive"),)

    # Always the first day of the month.
    month: Mapped[date] = mapped_column(Date, unique=True)
    value: Mapped[Decimal] = mapped_column(Numeric(8, 2))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


async def index_for(session: AsyncSession, month: date) -> Decimal | None:
    """The index value of the month containing ``month``, or None when it is not entered."""
    value: Decimal | None = await session.scalar(
        select(HealthIndex.value).where(HealthIndex.month == first_of_month(month))
    )
    return value


async def list_indices(session: AsyncSession) -> list[HealthIndex]:
    """Every month entered, the latest first."""
    return list(await session.scalars(select(HealthIndex).order_by(HealthIndex.month.desc())))


async def set_index(session: AsyncSession, month: date, value: Decimal) -> HealthIndex:
    """Enter or correct the value of one month."""
    month = first_of_month(month)
    row = await session.scalar(select(HealthIndex).where(HealthIndex.month == month))
    if row is None:
        row = HealthIndex(month=month, value=value)
        session.add(row)
    else:
        row.value = value
    await session.flush()
    return row


def parse_month(text: str) -> date | None:
    """``2025-01`` (or ``2025-01-01``) as the first day of that month, or None."""
    match = MONTH_PATTERN.match(text.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def parse_value(text: str) -> Decimal | None:
    """A positive value with at most two decimals (``128.45`` or ``128,45``), or None."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > MAX_VALUE:
        return None
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return value


def month_error(text: str) -> str | None:
    if not text.strip():
        return _("Please enter the month.")
    if parse_month(text) is None:
        return _("Write the month as year-month, for example 2025-01.")
    return None


def value_error(text: str) -> str | None:
    if not text.strip():
        return _("Please enter the index value.")
    if parse_value(text) is None:
        return _("The index is a positive number with at most two decimals, for example 128.45.")
    return None


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


def read_csv(text: str) -> tuple[dict[date, Decimal], list[LineError]]:
    """The months of a ``month,value`` CSV (header optional) and what is wrong, line by line."""
    values: dict[date, Decimal] = {}
    errors: list[LineError] = []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if len(rows) > MAX_IMPORT_LINES:
        return {}, [LineError(0, _("The file has too many lines."))]
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower() == "month"):
            continue
        error = _row_error(cells, values)
        if error:
            errors.append(LineError(number, error))
            continue
        values[parse_month(cells[0])] = parse_value(cells[1])  # type: ignore[index,assignment]
    if not values and not errors:
        errors.append(LineError(0, _("The file holds no months.")))
    return values, errors


def _row_error(cells: list[str], seen: dict[date, Decimal]) -> str | None:
    if len(cells) != 2:
        return _("Each line needs two values: month,value.")
    error = month_error(cells[0]) or value_error(cells[1])
    if error:
        return error
    if parse_month(cells[0]) in seen:
        return _("This month appears twice in the file.")
    return None


async def import_csv(session: AsyncSession, text: str) -> tuple[int, list[LineError]]:
    """Store every month of the file, or none when any line is wrong: (months stored, errors)."""
    values, errors = read_csv(text)
    if errors:
        return 0, errors
    for month, value in sorted(values.items()):
        await set_index(session, month, value)
    return len(values), []
