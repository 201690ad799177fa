"""The exact capped model, as an integer program solved by HiGHS through OR-Tools.

Only the arcs that matching.lagrangian could not rule out go in, so the model is small.
The linear relaxation of an assignment with a few side constraints is almost always
integral: the LP is solved first, and the branch-and-bound runs only when it is not.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from matching.lagrangian import Arcs

BoolArray = npt.NDArray[np.bool_]
IntpArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

# Quiet (HiGHS writes a banner to stdout otherwise), and optimal means optimal: HiGHS
# stops at a 0.01 % gap by default.
_HIGHS_OPTIONS = "output_flag=false,mip_rel_gap=0"
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Exact:
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    used: BoolArray | None
    bound: int | None  # lower bound on the cost (with amount None: on minus the size)
    prices: FloatArray | None = None  # per cap group: the LP's price of one more place


def solve_exact(
    arcs: Arcs, amount: int | None, deadline: float | None, *, lp_only: bool = False
) -> Exact:
    """Least-cost capped assignment of exactly `amount` households over `arcs`; with
    amount None, the largest capped assignment (costs ignored).

    The LP comes first: when its optimum is whole, that is the answer. Otherwise (unless
    lp_only, which returns the LP's bound and prices without an assignment) HiGHS runs the
    integer program."""
    relaxed = _solve(arcs, amount, deadline, integer=False)
    if lp_only or relaxed.status != "optimal" or relaxed.used is not None:
        return relaxed
    # (No solution hint: HiGHS, through OR-Tools 9.15's model builder, crashes on one.)
    exact = _solve(arcs, amount, deadline, integer=True)
    return Exact(exact.status, exact.used, exact.bound, relaxed.prices)


def _solve(arcs: Arcs, amount: int | None, deadline: float | None, *, integer: bool) -> Exact:
    """One run: GLOP for the LP (`used` is None when its optimum is fractional), HiGHS for
    the integer program."""
    from ortools.linear_solver.python import model_builder_helper as mbh

    model, group_rows = _model(mbh.ModelBuilderHelper(), arcs, amount, integer)
    # The cap prices are the LP's row duals: GLOP's (OR-Tools hands HiGHS's row activities
    # back as "duals").
    solver = mbh.ModelSolverHelper("highs" if integer else "glop")
    if integer:
        solver.set_solver_specific_parameters(_HIGHS_OPTIONS)
    if deadline is not None:
        solver.set_time_limit_in_seconds(max(0.01, deadline - time.perf_counter()))
    solver.solve(model)
    status = solver.status()
    if status == mbh.SolveStatus.INFEASIBLE:
        return Exact("infeasible", None, None)
    if (
        status not in (mbh.SolveStatus.OPTIMAL, mbh.SolveStatus.FEASIBLE)
        or not solver.has_solution()
    ):
        return Exact("unknown", None, None)
    values: FloatArray = np.asarray(solver.variable_values(), np.float64)
    whole = bool(np.all((values < _TOLERANCE) | (values > 1 - _TOLERANCE)))
    whole = whole and _assignment(arcs, values > 0.5, amount)
    optimal = status == mbh.SolveStatus.OPTIMAL
    # Only an optimal run gives a bound (OR-Tools reports HiGHS's incumbent as its "bound").
    bound = math.ceil(solver.objective_value() - _TOLERANCE) if optimal else None
    prices = None
    if not integer and optimal:
        prices = np.zeros(len(arcs.allowance), np.float64)
        duals = np.asarray(solver.dual_values(), np.float64)
        for group, row in group_rows.items():
            prices[group] = max(0.0, -duals[row])  # a binding "at most" row has a dual <= 0
    if whole:
        return Exact("optimal" if optimal else "feasible", values > 0.5, bound, prices)
    if integer:
        return Exact("unknown", None, None)
    return Exact("optimal" if optimal else "unknown", None, bound, prices)


def _assignment(arcs: Arcs, used: BoolArray, amount: int | None) -> bool:
    """Whether rounded values are a capped assignment (guards against solver tolerances)."""
    households = np.bincount(arcs.household[used], minlength=arcs.n_households)
    units = np.bincount(arcs.unit[used], minlength=arcs.n_units)
    fits = bool(households.max(initial=0) <= 1 and units.max(initial=0) <= 1)
    fits = fits and arcs.capped(used)
    if amount is not None:
        fits = fits and int(used.sum()) == amount
    return fits


def _model(model: Any, arcs: Arcs, amount: int | None, integer: bool) -> tuple[Any, dict[int, int]]:
    """Rows: each household and unit at most once, each cap group at most its allowance,
    and the size when it is fixed. Also returns the row of each cap group."""
    n = len(arcs.household)
    m = model
    m.add_var_array_with_bounds(np.zeros(n), np.ones(n), np.full(n, integer), "x")
    objective = np.full(n, -1.0) if amount is None else arcs.cost.astype(np.float64)
    m.set_objective_coefficients(list(range(n)), objective.tolist())
    for members in _groups(arcs.household):
        _row(m, members, 0.0, 1.0)
    for members in _groups(arcs.unit):
        _row(m, members, 0.0, 1.0)
    grouped = np.flatnonzero(arcs.group >= 0)
    group_rows: dict[int, int] = {}
    for members in _groups(arcs.group[grouped]):
        g = int(arcs.group[grouped[members[0]]])
        group_rows[g] = _row(m, grouped[members], 0.0, float(arcs.allowance[g]))
    if amount is not None:
        _row(m, np.arange(n), float(amount), float(amount))
    return m, group_rows


def _row(m: Any, members: IntpArray, lower: float, upper: float) -> int:
    row: int = m.add_linear_constraint()
    m.set_constraint_lower_bound(row, lower)
    m.set_constraint_upper_bound(row, upper)
    for i in members.tolist():
        m.add_term_to_constraint(row, i, 1.0)
    return row


def _groups(keys: npt.NDArray[np.integer]) -> list[IntpArray]:
    """Indices of equal keys, grouped, in key order."""
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return np.split(order, cuts)
