"""The waitlist a round is compared with: households by their own score term, each taking its
best free eligible unit; the same eligibility, scores and cap as the solver."""

from __future__ import annotations

from typing import Any

import msgspec

from matching.eligibility import eligible_pairs
from matching.instance import build_instance
from matching.problem import Problem, decode_problem
from matching.solver import solve
from matching.waitlist import waitlist
from tests.matching.instances import generate


def household(ident: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": ident,
        "adults": 1,
        "children": 0,
        "monthly_income_cents": 200000,
        "wheelchair": False,
        "step_free": False,
        "urgency": 0,
        "registered_on": "2026-11-01",
    }
    return base | fields


def unit(ident: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": ident,
        "building_id": "b1",
        "min_occupants": 1,
        "max_occupants": 4,
        "rent_cents": 50000,
        "charges_cents": 5000,
        "wheelchair_accessible": False,
        "step_free": False,
        "lat": 50.85,
        "lon": 4.35,
    }
    return base | fields


def problem(
    units: list[dict[str, Any]],
    households: list[dict[str, Any]],
    buildings: list[dict[str, Any]] | None = None,
    **policy: Any,
) -> Problem:
    document = {
        "round_date": "2026-12-01",
        "policy": {"weights": {"urgency": 10, "waiting_day": 1, "km": 3}} | policy,
        "buildings": buildings or [],
        "units": units,
        "households": households,
    }
    return decode_problem(msgspec.json.encode(document))


# h1: 1 person, 50 points, 30 days (term 530), lives near u1; u2 is 0.01 degree north:
# great circle 1.112 km -> 1112 m -> penalty (3 x 1112) // 1000 = 3 -> 527 for u2.
# h2: 2 people, 20 points, 10 days (term 210), fits only u1 (u2 takes one person).
SMALL = problem(
    [unit("u1"), unit("u2", lat=50.86, max_occupants=1)],
    [
        household(
            "h1",
            urgency=50,
            preferred_locations=[{"lat": 50.85, "lon": 4.35}],
            max_distance_km=10.0,
        ),
        household("h2", children=1, urgency=20, registered_on="2026-11-21"),
    ],
)


def pairs_of(result: Any) -> dict[str, tuple[str, int]]:
    return {a.household_id: (a.unit_id, a.score) for a in result.assignments}


def test_the_waitlist_gives_the_first_household_its_best_flat_and_leaves_the_second_without():
    greedy = waitlist(SMALL)

    assert pairs_of(greedy) == {"h1": ("u1", 530)}
    assert (greedy.housed, greedy.total_score) == (1, 530)


def test_the_optimum_houses_both_where_the_waitlist_houses_one():
    best = solve(SMALL)

    assert pairs_of(best) == {"h1": ("u2", 527), "h2": ("u1", 210)}
    assert (best.housed, best.total_score) == (2, 737)


def test_equal_terms_go_by_registration_date_then_id_and_equal_scores_by_unit_id():
    # Same term 10 x 10 + 30 = 130 for all three; hb registered earlier than ha and hc.
    same = {"urgency": 10, "registered_on": "2026-11-01"}
    instance = problem(
        [unit("u2"), unit("u1")],
        [
            household("hc", **same),
            household("ha", **same),
            household("hb", **same | {"urgency": 9, "registered_on": "2026-10-22"}),
        ],
    )

    greedy = waitlist(instance)

    # hb: 90 + 40 = 130 too, but registered first: it takes u1 (tie on score, lower unit id).
    assert pairs_of(greedy) == {"hb": ("u1", 130), "ha": ("u2", 130)}


def test_the_waitlist_keeps_the_high_support_cap_of_each_building():
    instance = problem(
        [unit("u1"), unit("u2", building_id="b2")],
        [
            household("h1", urgency=90, high_support=True),
            household("h2", urgency=80, high_support=True),
        ],
        [{"id": "b2", "high_support_households": 1}],
        max_high_support_per_building=1,
    )

    greedy = waitlist(instance)

    # b2 already houses one high-support household: only u1 can take one more.
    assert pairs_of(greedy) == {"h1": ("u1", 930)}


def test_on_generated_instances_the_waitlist_is_eligible_and_never_houses_more():
    for seed in range(4):
        instance = decode_problem(msgspec.json.encode(generate(120, 40, seed=seed)))
        inst = build_instance(instance)
        eligible = eligible_pairs(inst)
        allowed = {
            (inst.household_ids[h], inst.unit_ids[u]): s
            for h, u, s in zip(
                eligible.household.tolist(),
                eligible.unit.tolist(),
                eligible.score.tolist(),
                strict=True,
            )
        }

        greedy = waitlist(instance)

        units = [a.unit_id for a in greedy.assignments]
        assert len(units) == len(set(units))
        assert all(allowed[(a.household_id, a.unit_id)] == a.score for a in greedy.assignments)
        assert greedy.housed <= solve(instance).housed
        assert greedy.total_score == sum(a.score for a in greedy.assignments)


def test_no_units_or_no_households_house_nobody():
    assert waitlist(problem([], [household("h1")])).housed == 0
    assert waitlist(problem([unit("u1")], [])).housed == 0
