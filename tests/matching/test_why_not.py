""" "Why not me?": a household's round outcome in plain words, never naming another household."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import msgspec
import pytest

from matching.instance import RULES
from matching.problem import Household, Location, Policy, Problem, Unit, Weights
from matching.rounds import Outcome, RoundHousehold, RoundMode
from matching.why_not import fitted_flats, why_not

OTHER_ID = str(uuid4())
UNIT_IDS = [str(uuid4()) for _ in range(3)]


def row(outcome: Outcome, **fields: object) -> RoundHousehold:
    return RoundHousehold(household_id=uuid4(), outcome=outcome, **fields)


def text_of(
    rh: RoundHousehold, mode: RoundMode = RoundMode.MAX_HOUSED, fitted: int | None = None
) -> str:
    found = why_not(rh, mode=mode, fitted=fitted)
    return " ".join([found.headline, *found.reasons])


EXPECTED = {
    "occupancy": "3 flats were not the right size for your household (too small or too big).",
    "wheelchair": "3 flats are not accessible with a wheelchair.",
    "step_free": "3 flats cannot be reached without steps.",
    "affordability": "3 flats would cost too large a part of your household's income.",
    "max_rent": "3 flats cost more than your maximum rent.",
    "distance": "3 flats are too far from the places you chose.",
    "excluded": "3 flats are ones you declined before.",
    "not_available": "3 flats were not yet available on the day of the round.",
}


@pytest.mark.parametrize("rule", RULES)
def test_each_failed_rule_is_told_with_the_number_of_flats_failing_it(rule: str) -> None:
    rules = dict.fromkeys(RULES, 0) | {rule: 3}

    found = why_not(row(Outcome.NO_ELIGIBLE_UNIT, rules=rules), mode=RoundMode.MAX_HOUSED)

    assert not found.proposed
    assert found.headline == "No flat in this round fitted your household."
    assert found.reasons == [EXPECTED[rule]]


def test_one_flat_is_told_in_the_singular_and_rules_no_flat_failed_are_left_out() -> None:
    rules = dict.fromkeys(RULES, 0) | {"max_rent": 1, "distance": 2}

    found = why_not(row(Outcome.NO_ELIGIBLE_UNIT, rules=rules), mode=RoundMode.MAX_HOUSED)

    assert found.reasons == [
        "1 flat costs more than your maximum rent.",
        "2 flats are too far from the places you chose.",
        "A flat can fail more than one of these rules.",
    ]


def test_an_outcompeted_household_hears_how_many_flats_fitted_and_why_others_came_first() -> None:
    given_to = [{"unit_id": UNIT_IDS[0], "household_id": OTHER_ID}]

    found = why_not(
        row(Outcome.OUTCOMPETED, given_to=given_to), mode=RoundMode.MAX_HOUSED, fitted=2
    )

    assert not found.proposed
    assert found.headline == "Other households came before yours for the flats that fitted it."
    assert found.reasons[0] == (
        "2 flats in this round fitted your household, but they went to other households."
    )
    assert "more priority points or a longer wait" in found.reasons[1]


def test_the_explanation_never_names_the_household_that_got_the_flat() -> None:
    given_to = [
        {"unit_id": UNIT_IDS[0], "household_id": OTHER_ID},
        {"unit_id": UNIT_IDS[1], "household_id": str(uuid4())},
    ]
    rh = row(Outcome.OUTCOMPETED, given_to=given_to)

    for mode in RoundMode:
        text = text_of(rh, mode, fitted=1)
        assert OTHER_ID not in text
        assert all(entry["household_id"] not in text for entry in given_to)
        assert all(unit_id not in text for unit_id in UNIT_IDS)
    assert "1 flat in this round fitted your household, but it went to another household." in (
        text_of(rh, fitted=1)
    )


def test_strict_priority_explains_the_order_of_points_then_waiting() -> None:
    text = text_of(row(Outcome.OUTCOMPETED, given_to=[]), RoundMode.STRICT_PRIORITY)

    assert "first to households with more priority points, then to households that" in text


def test_a_flat_left_empty_by_the_building_limit_is_explained() -> None:
    given_to = [{"unit_id": UNIT_IDS[0], "household_id": None}]

    text = text_of(row(Outcome.OUTCOMPETED, given_to=given_to))

    assert "limits how many households with intensive support live in one building" in text


def test_without_a_known_count_no_number_is_made_up() -> None:
    found = why_not(row(Outcome.OUTCOMPETED, given_to=[]), mode=RoundMode.MAX_HOUSED)

    assert not any("fitted your household" in reason for reason in found.reasons)


def test_a_proposed_household_is_told_an_officer_checks_the_proposal() -> None:
    found = why_not(row(Outcome.PROPOSED), mode=RoundMode.MAX_HOUSED)

    assert found.proposed
    assert found.headline == "The round proposed a flat for your household."
    assert "An officer checks every proposal" in found.reasons[0]


def problem_with(household_id: str) -> dict[str, object]:
    """Three flats near Brussels; the household (two people) fits the first two only."""
    units = [
        Unit(
            id=unit_id,
            building_id=f"b{i}",
            min_occupants=1,
            max_occupants=max_occupants,
            rent_cents=40000,
            charges_cents=5000,
            wheelchair_accessible=False,
            step_free=True,
            lat=50.85,
            lon=4.35,
        )
        for i, (unit_id, max_occupants) in enumerate(zip(UNIT_IDS, (2, 4, 1), strict=True))
    ]
    household = Household(
        id=household_id,
        adults=1,
        children=1,
        monthly_income_cents=200000,
        wheelchair=False,
        step_free=False,
        preferred_locations=[Location(lat=50.85, lon=4.36)],
        max_distance_km=5.0,
        urgency=10,
        registered_on=dt.date(2025, 1, 1),
    )
    other = msgspec.structs.replace(household, id=OTHER_ID, adults=5)
    problem = Problem(
        round_date=dt.date(2026, 3, 1),
        policy=Policy(mode="max_housed", weights=Weights(urgency=10, waiting_day=1, km=3)),
        units=units,
        households=[household, other],
    )
    return msgspec.to_builtins(problem)  # type: ignore[no-any-return]


def test_the_flats_a_household_fitted_are_counted_from_the_rounds_problem() -> None:
    household_id = uuid4()
    problem = problem_with(str(household_id))

    assert fitted_flats(problem, household_id) == 2
    assert fitted_flats(problem, uuid4()) is None
    assert fitted_flats(None, household_id) is None
