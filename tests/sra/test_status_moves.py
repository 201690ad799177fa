"""The graph every status machine shares: withdrawal from anywhere, reasons where needed."""

from __future__ import annotations

from enum import Enum

import pytest

from sra.status_moves import StatusGraph, TransitionNotAllowed


class Colour(Enum):
    RED = "red"
    GREEN = "green"
    GONE = "gone"


GRAPH = StatusGraph.withdrawable(
    "lamp",
    {
        Colour.RED: frozenset({Colour.GREEN}),
        Colour.GREEN: frozenset({Colour.RED}),
        Colour.GONE: frozenset(),
    },
    withdrawn=Colour.GONE,
    needs_reason=frozenset({Colour.RED}),
)


def test_every_status_but_withdrawn_itself_may_be_withdrawn() -> None:
    assert GRAPH.can_move(Colour.RED, Colour.GONE)
    assert GRAPH.can_move(Colour.GREEN, Colour.GONE)
    assert not GRAPH.can_move(Colour.GONE, Colour.GONE)
    assert not GRAPH.can_move(Colour.GONE, Colour.RED)


def test_a_refused_move_names_the_thing_and_both_statuses() -> None:
    with pytest.raises(TransitionNotAllowed, match="a lamp cannot go from gone to green") as e:
        GRAPH.check(Colour.GONE, Colour.GREEN, "why not")
    assert (e.value.origin, e.value.to) == (Colour.GONE, Colour.GREEN)


@pytest.mark.parametrize("blank", [None, "", "   \n"])
def test_a_move_that_needs_a_reason_refuses_a_blank_one(blank: str | None) -> None:
    with pytest.raises(TransitionNotAllowed, match="needs a reason"):
        GRAPH.check(Colour.GREEN, Colour.RED, blank)


def test_the_reason_is_kept_stripped_and_a_blank_optional_one_is_none() -> None:
    assert GRAPH.check(Colour.GREEN, Colour.RED, "  bulb broke ") == "bulb broke"
    assert GRAPH.check(Colour.RED, Colour.GREEN, "  ") is None
