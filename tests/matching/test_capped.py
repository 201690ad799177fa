"""The scattered-site cap on instances too big to enumerate, against an independent model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from matching.eligibility import eligible_pairs
from matching.instance import build_instance
from matching.problem import Problem, Result, decode_problem
from matching.solver import solve
from tests.matching import reference
from tests.matching.instances import generate
from tests.matching.strategies import problems

VECTORS = Path(__file__).parent / "vectors"


def load(name: str) -> Problem:
    return decode_problem((VECTORS / f"{name}.json").read_bytes())


def cap_respected(problem: Problem, result: Result) -> bool:
    places = reference.allowance(problem)
    assert places is not None
    building = {u.id: u.building_id for u in problem.units}
    support = {h.id for h in problem.households if h.high_support}
    load_by_building: dict[str, int] = {}
    for a in result.assignments:
        if a.household_id in support:
            b = building[a.unit_id]
            load_by_building[b] = load_by_building.get(b, 0) + 1
    return all(n <= places[b] for b, n in load_by_building.items())


def independent_model(problem: Problem) -> tuple[Any, list[Any], list[int], list[int]]:
    """CP-SAT over every eligible pair with the matching and cap constraints:
    (model, one boolean per pair, each pair's household index, each pair's score)."""
    from ortools.sat.python import cp_model

    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    places = reference.allowance(problem)
    assert places is not None
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(pairs))]
    by_household: dict[int, list[int]] = {}
    by_unit: dict[int, list[int]] = {}
    by_building: dict[str, list[int]] = {}
    for i, (h, u) in enumerate(zip(pairs.household.tolist(), pairs.unit.tolist(), strict=True)):
        by_household.setdefault(h, []).append(i)
        by_unit.setdefault(u, []).append(i)
        if problem.households[h].high_support:
            by_building.setdefault(problem.units[u].building_id, []).append(i)
    for group in (*by_household.values(), *by_unit.values()):
        model.add_at_most_one(x[i] for i in group)
    for b, group in by_building.items():
        model.add(sum(x[i] for i in group) <= places[b])
    return model, x, pairs.household.tolist(), pairs.score.tolist()


def solved(model: Any, x: list[Any]) -> list[int] | None:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    return [i for i in range(len(x)) if solver.boolean_value(x[i])]


def independent_optimum(problem: Problem) -> tuple[int, int]:
    """(K, best score) by CP-SAT, lexicographic by a big weight."""
    model, x, _, scores = independent_model(problem)
    big = sum(abs(s) for s in scores) + 1
    model.maximize(sum((big + s) * x[i] for i, s in enumerate(scores)))
    chosen = solved(model, x)
    assert chosen is not None
    return len(chosen), sum(scores[i] for i in chosen)


def independent_priority_set(problem: Problem) -> tuple[set[int], int]:
    """S of the contract by its definition, one CP-SAT feasibility question per household,
    and the best score among assignments housing exactly S."""
    k, _ = independent_optimum(problem)
    ranked = sorted(
        range(len(problem.households)),
        key=lambda i: (
            -problem.households[i].urgency,
            problem.households[i].registered_on,
            problem.households[i].id,
        ),
    )
    chosen: set[int] = set()
    for h in ranked:
        model, x, owner, _ = independent_model(problem)
        model.add(sum(x) == k)
        for member in chosen | {h}:
            model.add(sum(x[i] for i in range(len(x)) if owner[i] == member) == 1)
        if solved(model, x) is not None:
            chosen.add(h)
    model, x, owner, scores = independent_model(problem)
    model.add(sum(x) == k)
    for i, h in enumerate(owner):
        if h not in chosen:
            model.add(x[i] == 0)
    model.maximize(sum(s * x[i] for i, s in enumerate(scores)))
    best = solved(model, x)
    assert best is not None
    return chosen, sum(scores[i] for i in best)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_capped_max_housed_equals_an_independent_exact_model(seed: int) -> None:
    problem = decode_problem(
        msgspec.json.encode(generate(240, 70, seed=seed, cap=1, high_support_share=0.3))
    )
    result = solve(problem)
    assert result.status == "optimal"
    assert cap_respected(problem, result)
    assert (result.housed, result.total_score) == independent_optimum(problem)


@pytest.mark.parametrize("seed", [1, 2])
def test_capped_strict_priority_equals_the_definition_checked_by_an_independent_model(
    seed: int,
) -> None:
    document = generate(90, 30, seed=seed, cap=1, mode="strict_priority", high_support_share=0.35)
    problem = decode_problem(msgspec.json.encode(document))
    result = solve(problem)
    chosen, best = independent_priority_set(problem)
    ids = {problem.households[h].id for h in chosen}
    assert result.status == "optimal"
    assert {a.household_id for a in result.assignments} == ids
    assert result.total_score == best


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_households=6, max_units=4, capped=True))
def test_capped_optimum_matches_the_brute_force_definition(problem: Problem) -> None:
    result = solve(problem)
    k, best, chosen = reference.optimum(problem)
    assert (result.housed, result.total_score) == (k, best)
    if chosen is not None:
        assert frozenset(a.household_id for a in result.assignments) == chosen


@pytest.mark.parametrize("name", ["capped-max-housed", "capped-strict-priority"])
def test_a_time_limit_that_stops_the_search_gives_a_feasible_capped_result(name: str) -> None:
    problem = load(name)
    result = solve(problem, time_limit=1e-9)
    assert result.status == "feasible"
    assert cap_respected(problem, result)
    assert len(result.assignments) + len(result.unassigned) == len(problem.households)
    assert len(result.assignments) + len(result.vacant) == len(problem.units)
    assert result.bound is None or result.bound >= result.total_score


def test_a_generous_time_limit_changes_nothing() -> None:
    problem = load("capped-max-housed")
    assert solve(problem, time_limit=600).total_score == solve(problem).total_score == 26919


def test_buildings_without_places_lose_only_their_high_support_arcs() -> None:
    problem = load("capped-max-housed")
    no_places = msgspec.structs.replace(
        problem,
        policy=msgspec.structs.replace(problem.policy, max_high_support_per_building=0),
    )
    result = solve(no_places)
    support = {h.id for h in problem.households if h.high_support}
    assert result.status == "optimal"
    assert not support & {a.household_id for a in result.assignments}
    assert {u.household_id for u in result.unassigned if u.household_id in support} == support
    assert all(
        u.reason == "outcompeted"
        for u in result.unassigned
        if u.household_id in support and u.rules is None
    )
