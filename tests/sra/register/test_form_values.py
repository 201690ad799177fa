"""Whole numbers typed into staff forms: ASCII figures in a range, one error per wrong field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sra.register.form_values import whole_number, whole_numbers


@given(st.integers(min_value=-50, max_value=50), st.sampled_from(["", " ", "\t"]))
def test_a_number_in_figures_reads_back_within_its_range(value: int, pad: str) -> None:
    read, error = whole_number(f"{pad}{value}{pad}", low=-10, high=10)
    if -10 <= value <= 10:
        assert (read, error) == (value, None)
    else:
        assert read is None
        assert error == "Please enter a number from -10 to 10."


@pytest.mark.parametrize("text", ["1_000", "١٢", "1.5", "2e3", "twelve", "0x10", "1 000"])
def test_anything_but_plain_figures_is_refused(text: str) -> None:
    assert whole_number(text, low=0, high=100_000) == (
        None,
        "Please enter a whole number in figures, for example 2.",
    )


def test_a_negative_number_where_none_may_be_says_so() -> None:
    assert whole_number("-1", low=0, high=5) == (None, "The number cannot be negative.")


def test_an_empty_field_is_an_error_only_when_required() -> None:
    assert whole_number("  ", low=0, high=5) == (None, "Please enter a number.")
    assert whole_number("  ", low=0, high=5, required=False) == (None, None)


def test_several_fields_give_the_good_numbers_and_one_error_per_wrong_field() -> None:
    ranges = {"days": (1, 30), "rounds": (0, 3), "missing": (0, 9)}
    numbers, errors = whole_numbers({"days": "14", "rounds": "4"}, ranges)
    assert numbers == {"days": 14}
    assert errors == {
        "rounds": "Please enter a number from 0 to 3.",
        "missing": "Please enter a number.",
    }


def test_a_form_may_say_its_own_sentence_for_every_wrong_field() -> None:
    numbers, errors = whole_numbers(
        {"a": "x", "b": "7"}, {"a": (0, 5), "b": (0, 5)}, message="Days from 0 to 5."
    )
    assert numbers == {}
    assert errors == {"a": "Days from 0 to 5.", "b": "Days from 0 to 5."}
