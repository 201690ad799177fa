"""Reading numbers, amounts, dates and times typed into staff forms.

Each reader returns ``(value, error)``: the error is a translated sentence for beside the
field, and the value is None whenever there is an error. People type "650", "650.50",
"650,50" or "1 250,00": all are read; "six hundred" is not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation

from sra.i18n import gettext as _

MAX_CENTS = 100_000_000  # one million in the agency's currency: no rent is above that
Read = tuple[int | None, str | None]
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def cents(text: str, *, required: bool = True) -> Read:
    """An amount such as "650,50" in cents; not negative, at most two decimals."""
    if not text.strip():
        return None, (_("Please enter an amount.") if required else None)
    number = _decimal(text)
    if number is None:
        return None, _("Please enter an amount in figures, for example 650 or 650.50.")
    if number < 0:
        return None, _("The amount cannot be negative.")
    if number != number.quantize(Decimal("0.01")):
        return None, _("Please enter the amount with at most two decimals.")
    value = int(number * 100)
    if value > MAX_CENTS:
        return None, _("This amount is too large.")
    return value, None


def whole_number(text: str, *, low: int, high: int, required: bool = True) -> Read:
    """A whole number in ASCII figures within [low, high] ("1_000" and "١٢" are refused)."""
    if not text.strip():
        return None, (_("Please enter a number.") if required else None)
    if not _WHOLE.fullmatch(text.strip()):
        return None, _("Please enter a whole number in figures, for example 2.")
    value = int(text.strip())
    if value < 0 <= low:
        return None, _("The number cannot be negative.")
    if not low <= value <= high:
        return None, _("Please enter a number from {low} to {high}.").format(low=low, high=high)
    return value, None


def whole_numbers(
    values: Mapping[str, str],
    ranges: Mapping[str, tuple[int, int]],
    *,
    message: str | None = None,
) -> tuple[dict[str, int], dict[str, str]]:
    """Several required whole numbers of one form: ``ranges`` maps each field to its (low, high).
    Returns the numbers read and one error per wrong field (``message`` instead of the reader's
    own, when the form has a sentence of its own such as "a number of days from 0 to 365")."""
    numbers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, (low, high) in ranges.items():
        value, error = whole_number(values.get(name, ""), low=low, high=high)
        if value is None:
            errors[name] = message or error or ""
        else:
            numbers[name] = value
    return numbers, errors


def number(
    text: str, *, low: float, high: float, required: bool = False
) -> tuple[float | None, str | None]:
    """A decimal number within [low, high], such as a meter reading or a coordinate."""
    if not text.strip():
        return None, (_("Please enter a number.") if required else None)
    value = _decimal(text)
    if value is None:
        return None, _("Please enter a number in figures, for example 1234.5.")
    result = float(value)
    if math.isinf(result):
        return None, _("This number is too large.")
    if result < 0 <= low:
        return None, _("The number cannot be negative.")
    if not low <= result <= high:
        return None, _("Please enter a number from {low} to {high}.").format(
            low=f"{low:g}", high=f"{high:g}"
        )
    return result, None


def day(text: str, *, not_before: date | None = None) -> tuple[date | None, str | None]:
    if not text.strip():
        return None, _("Please enter a date.")
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        return None, _("Please enter a date as year-month-day, for example 2025-03-31.")
    if not_before is not None and value < not_before:
        return None, _("Please choose today or a later day.")
    return value, None


def clock(text: str) -> tuple[time | None, str | None]:
    if not text.strip():
        return None, _("Please enter a time.")
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        return None, _("Please enter a time as hours:minutes, for example 14:30.")
    return value.replace(second=0, microsecond=0), None
