"""Money arithmetic: amounts are whole cents (int); this is the project's one rounding rule."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal


def round_half_up_cents(amount: Decimal) -> int:
    """``amount`` (in cents, possibly fractional) rounded half up (away from zero) to a cent."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_AMOUNT = re.compile(r"^\d{1,9}(?:[.,]\d{1,2})?$")


def parse_cents(text: str) -> int | None:
    """An amount typed in a form (``850``, ``850.5``, ``850,50``) in cents, or None.

    Only plain non-negative amounts with at most two decimals: no signs, thousands
    separators or currency symbols, so a typo is refused rather than misread.
    """
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _AMOUNT.match(value):
        return None
    return round_half_up_cents(Decimal(value.replace(",", ".")) * 100)
