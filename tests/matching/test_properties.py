"""The solver against ALLOCATION.md read literally (tests/matching/reference.py), on tiny
random instances with every rule, both modes and the cap."""

from __future__ import annotations

import random

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.problem import Problem, Result
from matching.solver import solve
from tests.matching import reference
from tests.matching.strategies import problems, units

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def housed_set(result: Result) -> frozenset[str]:
    return frozenset(a.household_id for a in result.assignments)


@PROPERTY
@given(problems())
def test_optimum_matches_the_brute_force_definition(problem: Problem) -> None:
    result = solve(problem)
    k, best, chosen = reference.optimum(problem)
    assert result.status == "optimal"
    assert (result.housed, result.total_score, result.bound) == (k, best, best)
    if chosen is not None:
        assert housed_set(result) == chosen


@PROPERTY
@given(problems())
def test_every_household_and_unit_appears_once_with_the_right_reason(problem: Problem) -> None:
    result = solve(problem)
    pairs = reference.eligible(problem)
    households = [a.household_id for a in result.assignments] + [
        u.household_id for u in result.unassigned
    ]
    units_seen = [a.unit_id for a in result.assignments] + [v.unit_id for v in result.vacant]
    assert sorted(households) == sorted(h.id for h in problem.households)
    assert sorted(units_seen) == sorted(u.id for u in problem.units)
    assert [a.household_id for a in result.assignments] == sorted(
        a.household_id for a in result.assignments
    )
    assert [u.household_id for u in result.unassigned] == sorted(
        households[len(result.assignments) :]
    )
    assert [v.unit_id for v in result.vacant] == sorted(v.unit_id for v in result.vacant)
    by_id = {h.id: h for h in problem.households}
    unit_by_id = {u.id: u for u in problem.units}
    for a in result.assignments:
        assert pairs[(a.household_id, a.unit_id)] == a.score
        km = reference.distance_km(by_id[a.household_id], unit_by_id[a.unit_id])
        assert a.distance_km == round(km, 3)
    holder = {a.unit_id: a.household_id for a in result.assignments}
    for left in result.unassigned:
        mine = sorted(
            ((-s, u) for (h, u), s in pairs.items() if h == left.household_id), key=lambda t: t
        )
        if not mine:
            assert left.reason == "no_eligible_unit"
            counts = dict.fromkeys(reference.RULES, 0)
            for unit in problem.units:
                for rule in reference.failed_rules(problem, by_id[left.household_id], unit):
                    counts[rule] += 1
            assert left.rules is not None
            assert msgspec.structs.asdict(left.rules) == counts
            assert left.given_to is None
        else:
            assert left.reason == "outcompeted"
            assert left.rules is None
            assert left.given_to is not None
            assert [(g.unit_id, g.household_id) for g in left.given_to] == [
                (u, holder.get(u)) for _, u in mine[:3]
            ]
    reachable = {u for (_, u) in pairs}
    for vacant in result.vacant:
        expected = "outcompeted" if vacant.unit_id in reachable else "no_eligible_household"
        assert vacant.reason == expected


@PROPERTY
@given(problems(capped=True))
def test_the_cap_is_respected(problem: Problem) -> None:
    result = solve(problem)
    places = reference.allowance(problem)
    assert places is not None
    building = {u.id: u.building_id for u in problem.units}
    support = {h.id for h in problem.households if h.high_support}
    load: dict[str, int] = {}
    for a in result.assignments:
        if a.household_id in support:
            load[building[a.unit_id]] = load.get(building[a.unit_id], 0) + 1
    assert all(n <= places[b] for b, n in load.items())


@PROPERTY
@given(problems(max_households=7, max_units=6, capped=False))
def test_housed_count_is_a_maximum_matching(problem: Problem) -> None:
    assert solve(problem).housed == reference.max_matching_size(problem)


@PROPERTY
@given(problems(), st.randoms(use_true_random=False))
def test_shuffling_the_input_changes_neither_housed_nor_score(
    problem: Problem, rnd: random.Random
) -> None:
    shuffled = msgspec.structs.replace(
        problem,
        units=rnd.sample(problem.units, len(problem.units)),
        households=rnd.sample(problem.households, len(problem.households)),
        buildings=rnd.sample(problem.buildings, len(problem.buildings)),
    )
    before, after = solve(problem), solve(shuffled)
    assert (after.housed, after.total_score) == (before.housed, before.total_score)
    if problem.policy.mode == "strict_priority":
        assert housed_set(after) == housed_set(before)


@PROPERTY
@given(problems(max_units=3), st.data())
def test_adding_a_unit_never_lowers_the_housed_count(problem: Problem, data: st.DataObject) -> None:
    extra = data.draw(units(99, len(problem.buildings)))
    more = msgspec.structs.replace(problem, units=[*problem.units, extra])
    assert solve(more).housed >= solve(problem).housed


@PROPERTY
@given(problems(mode="strict_priority"))
def test_strict_priority_never_leaves_out_someone_a_lower_ranked_household_could_swap_with(
    problem: Problem,
) -> None:
    assert not reference.swappable(problem, set(housed_set(solve(problem))))
