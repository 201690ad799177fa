"""Bipartite assignments as min-cost flows (OR-Tools SimpleMinCostFlow).

Network: source -> household -> unit -> sink, every capacity 1. An arc's cost is the
negated score shifted to be non-negative; every unit of flow crosses exactly one
household -> unit arc, so the shift is the same for every assignment of a given size and
"as many as possible, then cheapest" is the lexicographic objective with no big-M.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

Int64Array = npt.NDArray[np.int64]
IntArray = npt.NDArray[np.integer]
BoolArray = npt.NDArray[np.bool_]

SOURCE, SINK, FIRST_HOUSEHOLD = 0, 1, 2


class FlowError(RuntimeError):
    """OR-Tools reported something other than an optimal flow."""


def assign(
    n_households: int,
    n_units: int,
    household: IntArray,
    unit: IntArray,
    arc_cost: Int64Array,
    *,
    household_cost: Int64Array | None = None,
    amount: int | None = None,
) -> BoolArray | None:
    """Which arcs a min-cost assignment uses.

    Without `amount`: as many households as possible, then the least total cost. With it:
    exactly `amount` households at the least cost, or None when no assignment houses that
    many. `household_cost` (per household) is paid when the household is housed."""
    flow = min_cost_flow.SimpleMinCostFlow()
    if len(household) == 0 or amount == 0:
        return np.zeros(len(household), np.bool_) if not amount else None
    n_arcs = len(household)
    first_unit = FIRST_HOUSEHOLD + n_households
    size = n_arcs + n_households + n_units
    tails = np.empty(size, np.int32)
    heads = np.empty(size, np.int32)
    costs = np.zeros(size, np.int64)
    np.add(household, FIRST_HOUSEHOLD, out=tails[:n_arcs], casting="unsafe")
    np.add(unit, first_unit, out=heads[:n_arcs], casting="unsafe")
    costs[:n_arcs] = arc_cost
    tails[n_arcs : n_arcs + n_households] = SOURCE
    heads[n_arcs : n_arcs + n_households] = np.arange(FIRST_HOUSEHOLD, first_unit)
    if household_cost is not None:
        costs[n_arcs : n_arcs + n_households] = household_cost
    tails[n_arcs + n_households :] = np.arange(first_unit, first_unit + n_units)
    heads[n_arcs + n_households :] = SINK
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.ones(len(tails), np.int64), costs)
    supply = min(n_households, n_units) if amount is None else amount
    flow.set_node_supply(SOURCE, supply)
    flow.set_node_supply(SINK, -supply)
    status = flow.solve_max_flow_with_min_cost() if amount is None else flow.solve()
    if amount is not None and status == flow.INFEASIBLE:
        return None
    if status != flow.OPTIMAL:
        raise FlowError(f"min-cost flow ended with status {status}")
    used: BoolArray = flow.flows(np.arange(n_arcs, dtype=np.int32)) > 0
    return used


def assign_most(
    n_households: int,
    n_units: int,
    household: IntArray,
    unit: IntArray,
    arc_cost: Int64Array,
    *,
    household_cost: Int64Array | None = None,
) -> BoolArray:
    """`assign` without an amount: always succeeds."""
    used = assign(n_households, n_units, household, unit, arc_cost, household_cost=household_cost)
    if used is None:
        raise FlowError("a maximum flow always exists")
    return used
