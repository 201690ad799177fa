"""The fairness report: share of each group housed by the round and by a waitlist."""

from __future__ import annotations

from decimal import Decimal

from matching.fairness import FairnessHousehold, FairnessRow, fairness_report, share


def h(
    ident: str, size: int, *, need: bool = False, displaced: bool = False, ethos: str | None = None
) -> FairnessHousehold:
    return FairnessHousehold(
        household_id=ident, size=size, disability_need=need, displaced=displaced, ethos_group=ethos
    )


HOUSEHOLDS = [
    h("a", 1, ethos="roofless"),
    h("b", 1, need=True, ethos="roofless"),
    h("c", 2, displaced=True, ethos="houseless"),
    h("d", 3, displaced=True),
    h("e", 7, need=True, ethos="inadequate"),
    h("f", 1),
]


def table(rows: list[FairnessRow]) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {(r.dimension, r.group): (r.households, r.housed, r.housed_waitlist) for r in rows}


def test_each_group_counts_its_households_and_who_each_method_houses():
    rows = fairness_report(HOUSEHOLDS, housed={"a", "c", "e"}, housed_waitlist={"a", "b", "f"})

    assert table(rows) == {
        ("all", "all"): (6, 3, 3),
        ("size", "1"): (3, 1, 3),
        ("size", "2"): (1, 1, 0),
        ("size", "3"): (1, 0, 0),
        ("size", "6+"): (1, 1, 0),
        ("disability", "yes"): (2, 1, 1),
        ("disability", "no"): (4, 2, 2),
        ("displaced", "yes"): (2, 1, 0),
        ("displaced", "no"): (4, 2, 3),
        ("ethos", "roofless"): (2, 1, 2),
        ("ethos", "houseless"): (1, 1, 0),
        ("ethos", "inadequate"): (1, 1, 0),
        ("ethos", "unknown"): (2, 0, 1),
    }


def test_rows_come_in_reading_order():
    rows = fairness_report(HOUSEHOLDS, housed=set(), housed_waitlist=set())

    assert [(r.dimension, r.group) for r in rows] == [
        ("all", "all"),
        ("size", "1"),
        ("size", "2"),
        ("size", "3"),
        ("size", "6+"),
        ("disability", "yes"),
        ("disability", "no"),
        ("displaced", "yes"),
        ("displaced", "no"),
        ("ethos", "roofless"),
        ("ethos", "houseless"),
        ("ethos", "inadequate"),
        ("ethos", "unknown"),
    ]


def test_shares_are_percentages_rounded_once_half_up():
    rows = {(r.dimension, r.group): r for r in fairness_report(HOUSEHOLDS, {"a", "c", "e"}, {"a"})}

    assert rows[("size", "1")].share == Decimal("33.3")  # 1 of 3
    assert rows[("all", "all")].share == Decimal("50.0")
    assert rows[("all", "all")].share_waitlist == Decimal("16.7")  # 1 of 6 = 16.666...
    assert share(1, 8) == Decimal("12.5")
    assert share(1, 16) == Decimal("6.3")  # 6.25 rounds half up
    assert share(0, 0) is None


def test_a_yes_no_group_without_households_is_shown_with_no_share():
    rows = {(r.dimension, r.group): r for r in fairness_report([h("a", 1)], {"a"}, set())}

    assert rows[("displaced", "yes")].households == 0
    assert rows[("displaced", "yes")].share is None
    assert rows[("displaced", "no")].share == Decimal("100.0")
    assert rows[("displaced", "no")].share_waitlist == Decimal("0.0")
