"""The points scheme with known numbers: bands, situations, rent burden, children, scaling,
validation and the register's order."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import msgspec
import pytest

from sra.households.facts import HouseholdFacts
from sra.households.points import (
    EthosPoints,
    IncomeBand,
    SchemeRules,
    default_rules,
    explain,
    max_total,
    register_order,
    rules_from_json,
    rules_to_json,
    score,
    urgency,
    validate,
)

RULES = default_rules()


def facts(**changes: object) -> HouseholdFacts:
    base = HouseholdFacts(adults=1, children=0, monthly_income_cents=400000)
    return msgspec.structs.replace(base, **changes)


def codes(result: object) -> dict[str, int]:
    return {line.code: line.points for line in result.lines}  # type: ignore[attr-defined]


def test_default_rules_are_valid_and_reach_167_points_at_most() -> None:
    assert validate(RULES) == []
    # 20 (best band) + 40 (roofless) + 20 + 15 + 15 + 20 + 10 + 10 + 5 + 3 x 4 children
    assert max_total(RULES) == 167


def test_a_parent_with_two_children_threatened_with_eviction_gets_each_rule_with_its_reason() -> (
    None
):
    household = facts(
        children=2, monthly_income_cents=150000, ethos_category=9, current_rent_cents=70000
    )

    result = score(household, RULES)

    # Reference for 1 adult + 2 children: 1300.00 x 160 % = 2080.00; 1500 / 2080 = 72 %.
    assert codes(result) == {
        "income_band": 20,
        "ethos_insecure": 20,
        "eviction": 20,
        "rent_burden": 10,
        "children": 6,
    }
    assert (result.raw_total, result.max_total) == (76, 167)
    assert result.urgency == 455  # 76 x 1000 / 167 = 455.09
    assert [explain(line) for line in result.lines] == [
        "Income is 72 % of the reference income for your household (band up to 100 %).",
        "Your housing is insecure (ETHOS: insecure housing).",
        "You are threatened with eviction.",
        "Your rent is 47 % of your income, more than 40 %.",
        "Children in the household: 2 (counted up to 4).",
    ]


def test_an_income_exactly_at_a_band_limit_falls_in_that_band() -> None:
    at_limit = score(facts(monthly_income_cents=130000), RULES)
    one_cent_above = score(facts(monthly_income_cents=130001), RULES)

    assert codes(at_limit) == {"income_band": 20}
    assert at_limit.lines[0].params == {"percent": 100, "band": 100}
    assert codes(one_cent_above) == {"income_band": 15}


def test_income_above_the_last_band_gives_no_income_line() -> None:
    assert score(facts(monthly_income_cents=260001), RULES).lines == ()
    assert codes(score(facts(monthly_income_cents=260000), RULES)) == {"income_band": 5}


def test_a_second_adult_and_children_raise_the_reference_income() -> None:
    # 2 adults + 1 child: 1300.00 x (100 + 50 + 30) % = 2340.00; 2925.00 is 125 % of it.
    couple = facts(adults=2, children=1, monthly_income_cents=292500)

    line = score(couple, RULES).lines[0]

    assert (line.code, line.points, line.params) == (
        "income_band",
        15,
        {"percent": 125, "band": 125},
    )


def test_a_household_with_no_adult_yet_is_weighed_from_its_first_member() -> None:
    assert codes(score(facts(adults=0, children=1, monthly_income_cents=169000), RULES)) == {
        "income_band": 20,  # 1300 x 130 % = 1690
        "children": 3,
    }


def test_rent_without_income_counts_as_a_rent_burden_and_no_rent_does_not() -> None:
    no_income = score(facts(monthly_income_cents=0, current_rent_cents=50000), RULES)
    nothing_paid = score(facts(monthly_income_cents=0, current_rent_cents=0), RULES)

    assert codes(no_income)["rent_burden"] == 10
    assert explain(no_income.lines[-1]) == "You pay rent without an income."
    assert "rent_burden" not in codes(nothing_paid)


def test_rent_exactly_at_the_share_is_not_above_it() -> None:
    assert "rent_burden" not in codes(score(facts(current_rent_cents=160000), RULES))
    assert "rent_burden" in codes(score(facts(current_rent_cents=160001), RULES))


def test_children_are_counted_up_to_the_maximum() -> None:
    assert codes(score(facts(children=6), RULES))["children"] == 12


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (1, {"ethos_roofless": 40}),
        (4, {"ethos_houseless": 35}),
        (8, {"ethos_insecure": 20}),
        (12, {"ethos_inadequate": 10, "unfit_home": 15}),
        (13, {"ethos_inadequate": 10, "overcrowded": 15}),
    ],
)
def test_each_ethos_group_and_its_situations(category: int, expected: dict[str, int]) -> None:
    assert codes(score(facts(ethos_category=category), RULES)) == expected


def test_displacement_disability_and_local_tie_add_up() -> None:
    household = facts(displaced=True, disability=True, local_tie=True, eviction_notice=True)

    assert codes(score(household, RULES)) == {
        "eviction": 20,
        "displaced": 20,
        "disability": 10,
        "local_tie": 5,
    }


def test_a_rule_worth_zero_points_adds_no_line() -> None:
    rules = msgspec.structs.replace(RULES, displaced_points=0)

    assert score(facts(displaced=True), rules).lines == ()


@pytest.mark.parametrize(
    ("raw", "maximum", "expected"),
    [(1, 2000, 1), (1, 2001, 0), (1, 3, 333), (2, 3, 667), (5, 5, 1000), (0, 9, 0), (3, 0, 0)],
)
def test_urgency_is_rounded_half_up_on_the_0_to_1000_scale(
    raw: int, maximum: int, expected: int
) -> None:
    assert urgency(raw, maximum) == expected


def test_a_scheme_without_any_points_gives_urgency_zero() -> None:
    rules = SchemeRules(reference_income_cents=100000)

    result = score(facts(ethos_category=1, monthly_income_cents=0), rules)

    assert (result.raw_total, result.max_total, result.urgency) == (0, 0, 0)


def test_rules_survive_a_round_trip_through_json() -> None:
    assert rules_from_json(rules_to_json(RULES)) == RULES
    assert isinstance(rules_to_json(RULES)["income_bands"], list)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"reference_income_cents": 0}, "reference_income_cents"),
        ({"first_adult_percent": 0}, "first_adult_percent"),
        ({"child_percent": -30}, "child_percent"),
        ({"eviction_points": -1}, "eviction_points"),
        ({"per_child_points": 1001}, "per_child_points"),
        ({"rent_burden_percent": 0}, "rent_burden_percent"),
        ({"max_children_counted": 21}, "max_children_counted"),
        ({"ethos_points": EthosPoints(roofless=10, houseless=20)}, "ethos_points.roofless"),
        ({"ethos_points": EthosPoints(insecure=-5)}, "ethos_points.insecure"),
        (
            {"income_bands": (IncomeBand(100, 20), IncomeBand(100, 10))},
            "income_bands[1].up_to_percent",
        ),
        (
            {"income_bands": (IncomeBand(150, 20), IncomeBand(100, 10))},
            "income_bands[1].up_to_percent",
        ),
        ({"income_bands": (IncomeBand(100, 10), IncomeBand(150, 20))}, "income_bands[1].points"),
        ({"income_bands": (IncomeBand(0, 10),)}, "income_bands[0].up_to_percent"),
        ({"income_bands": (IncomeBand(100, -10),)}, "income_bands[0].points"),
        ({"income_bands": tuple(IncomeBand(10 * i, 0) for i in range(1, 12))}, "income_bands"),
    ],
)
def test_validate_names_the_field_of_each_mistake(changes: dict[str, object], path: str) -> None:
    errors = validate(msgspec.structs.replace(RULES, **changes))

    assert path in [field for field, _message in errors]


def test_register_order_puts_the_most_urgent_first_and_ties_by_registration_date() -> None:
    entries = [
        SimpleNamespace(urgency=300, registered_on=date(2025, 3, 1), reference="H-3"),
        SimpleNamespace(urgency=500, registered_on=date(2025, 6, 1), reference="H-2"),
        SimpleNamespace(urgency=300, registered_on=date(2024, 1, 1), reference="H-9"),
        SimpleNamespace(urgency=300, registered_on=date(2024, 1, 1), reference="H-1"),
    ]

    ordered = [entry.reference for entry in sorted(entries, key=register_order)]

    assert ordered == ["H-2", "H-1", "H-9", "H-3"]
