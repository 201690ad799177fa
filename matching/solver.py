"""solve(problem) -> Result: the optimal allocation of ALLOCATION.md.

Without the high-support cap both modes are min-cost flows:
- max_housed: one flow, "as many as possible, then the highest total score".
- strict_priority: the housed set S is the greedy basis of a transversal matroid along
  the ranking, i.e. the unique basis of least total rank; a flow with the rank as the
  cost of housing a household finds it. A second flow, over S only, maximises the score.
With the cap, matching.capped and matching.priority take over: flows with the cap priced
in (Lagrangian bounds) rule most arcs out, and an integer program decides on the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from matching import capped, flows, priority
from matching.eligibility import EligiblePairs, eligible_pairs
from matching.explain import Outcome, build_result
from matching.instance import Instance, build_instance
from matching.problem import Problem, Result

IntpArray = npt.NDArray[np.intp]
Progress = Callable[[str], None]

FLOW = "ortools min_cost_flow"


def solve(
    problem: Problem, time_limit: float | None = None, progress: Progress | None = None
) -> Result:
    """The contract's result; `time_limit` (seconds) bounds only the capped search."""
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    report = progress or _silent
    report("checking eligibility")
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    report("assigning")
    cap = capped.CapGroups.of(inst, pairs)
    if problem.policy.mode == "max_housed":
        outcome = _max_housed(inst, pairs, cap, deadline)
    else:
        outcome = _strict_priority(inst, pairs, cap, deadline)
    report("explaining")
    return build_result(problem.policy.mode, inst, pairs, outcome, started)


def _silent(stage: str) -> None:
    return None


def score_costs(score: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Non-negative arc costs whose minimum is the maximum score."""
    if len(score) == 0:
        return score.copy()
    shifted: npt.NDArray[np.int64] = score.max() - score
    return shifted


def _max_housed(
    inst: Instance, pairs: EligiblePairs, cap: capped.CapGroups | None, deadline: float | None
) -> Outcome:
    if cap is not None:
        return capped.max_housed(inst, pairs, cap, deadline)
    used = flows.assign_most(
        inst.n_households, inst.n_units, pairs.household, pairs.unit, score_costs(pairs.score)
    )
    return Outcome(np.flatnonzero(used), "optimal", None, FLOW)


def _strict_priority(
    inst: Instance, pairs: EligiblePairs, cap: capped.CapGroups | None, deadline: float | None
) -> Outcome:
    if cap is not None:
        return priority.strict_priority(inst, pairs, cap, deadline)
    first = flows.assign_most(
        inst.n_households,
        inst.n_units,
        pairs.household,
        pairs.unit,
        np.zeros(len(pairs), np.int64),
        household_cost=inst.rank,
    )
    return Outcome(best_over(inst, pairs, first), "optimal", None, FLOW)


def best_over(inst: Instance, pairs: EligiblePairs, basis: npt.NDArray[np.bool_]) -> IntpArray:
    """The highest-scoring assignment housing exactly the households that `basis` houses."""
    members = np.zeros(inst.n_households, np.bool_)
    members[pairs.household[basis]] = True
    arcs = np.flatnonzero(members[pairs.household])
    used = flows.assign_most(
        inst.n_households,
        inst.n_units,
        pairs.household[arcs],
        pairs.unit[arcs],
        score_costs(pairs.score[arcs]),
    )
    chosen = arcs[used]
    if len(chosen) != int(basis.sum()):
        raise flows.FlowError("the second stage lost a household of the first")
    return chosen
