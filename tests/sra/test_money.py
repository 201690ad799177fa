"""The one rounding rule (half up, to the cent) and reading amounts typed in forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sra.money import parse_cents, round_half_up_cents

amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_cents_stay_as_they_are(cents: int) -> None:
    assert round_half_up_cents(Decimal(cents)) == cents


@given(amounts)
def test_rounding_moves_less_than_half_a_cent_or_exactly_half(amount: Decimal) -> None:
    assert abs(round_half_up_cents(amount) - amount) <= Decimal("0.5")


@given(st.integers(min_value=0, max_value=10**9))
def test_halves_round_away_from_zero(cents: int) -> None:
    assert round_half_up_cents(Decimal(cents) + Decimal("0.5")) == cents + 1
    assert round_half_up_cents(-(Decimal(cents) + Decimal("0.5"))) == -(cents + 1)


@given(amounts, amounts)
def test_rounding_keeps_the_order(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert round_half_up_cents(low) <= round_half_up_cents(high)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("850", 85000), ("850.5", 85050), ("850,50", 85050), (" 1 200.00 ", 120000), ("0", 0)],
)
def test_amounts_in_forms_are_read_in_cents(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "-5", "850.505", "1,200.00", "€850", "1e3"])
def test_anything_else_is_not_an_amount(text: str) -> None:
    assert parse_cents(text) is None
