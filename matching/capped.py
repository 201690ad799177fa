"""Both modes under the scattered-site cap (`max_high_support_per_building`).

A building whose allowance is 0 simply loses its high-support arcs. The other buildings
become cap groups, kept only where the cap can bind (more high-support candidates and
more reachable units than places). An uncapped optimum that respects the cap is
optimal; otherwise matching.lagrangian prices the cap with flows and rules most arcs
out, and matching.mip solves the exact model on the arcs that are left.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.eligibility import EligiblePairs
from matching.explain import Outcome
from matching.instance import Instance
from matching.lagrangian import Arcs, lagrangian_bound, reduced_costs
from matching.mip import solve_exact
from matching.problem import Status

Int64Array = npt.NDArray[np.int64]
IntpArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

FLOW = "ortools min_cost_flow"
PRICED = "ortools min_cost_flow + lagrangian bound (glop prices) + highs"
# How many arcs the exact model starts with (cheapest reduced costs first).
EXACT_ARCS, EXACT_ARCS_PER_HOUSED = 20_000, 40
# Cap prices from the LP are fractional; flows need integers: costs are scaled this much.
PRICE_SCALE = 64


@dataclass(frozen=True)
class CapGroups:
    usable: IntpArray  # eligible pairs the cap does not forbid outright
    group: IntpArray  # per usable pair: its cap group, -1 when the cap does not concern it
    allowance: Int64Array  # per cap group: high-support places left

    @classmethod
    def of(cls, inst: Instance, pairs: EligiblePairs) -> CapGroups | None:
        places = inst.building_allowance
        if not np.any(places >= 0):
            return None
        building = inst.unit_building[pairs.unit]
        support = inst.high_support[pairs.household]
        usable = np.flatnonzero(~(support & (places[building] == 0)))
        building = building[usable]
        concerned = support[usable] & (places[building] > 0)
        binding = places > 0
        for side in (pairs.household[usable], pairs.unit[usable]):
            width = int(side.max(initial=0)) + 1
            keys = np.unique(building[concerned].astype(np.int64) * width + side[concerned])
            candidates = np.bincount(keys // width, minlength=len(places))
            binding &= candidates > places
        if len(usable) == len(pairs) and not binding.any():
            return None
        number = np.cumsum(binding) - 1
        group = np.where(concerned & binding[building], number[building], -1)
        return cls(usable, group.astype(np.intp), places[binding].astype(np.int64))

    def arcs(self, inst: Instance, pairs: EligiblePairs, cost: Int64Array) -> Arcs:
        return Arcs(
            inst.n_households,
            inst.n_units,
            pairs.household[self.usable].astype(np.intp),
            pairs.unit[self.usable].astype(np.intp),
            cost,
            self.group,
            self.allowance,
        )


def score_costs(score: Int64Array) -> tuple[Int64Array, int]:
    """Non-negative costs (top - score) and the top score they are measured from."""
    top = int(score.max()) if len(score) else 0
    return top - score, top


@dataclass
class Best:
    """What is known about the least-cost capped assignment of one size."""

    used: BoolArray | None = None
    cost: int | None = None
    bound: int | None = None  # every capped assignment of this size costs at least this
    infeasible: bool = False  # no capped assignment of this size exists
    unsettled: bool = False  # gave up before knowing whether one exists (see `optimise`)
    prices: FloatArray | None = None  # the last cap prices the LP gave

    @property
    def proven(self) -> bool:
        return self.cost is not None and self.bound is not None and self.cost <= self.bound

    def offer(self, arcs: Arcs, used: BoolArray) -> None:
        cost = int(arcs.cost[used].sum())
        if self.cost is None or cost < self.cost:
            self.used, self.cost = used, cost

    def settles(self, ceiling: int | None) -> bool:
        """Whether it is known if some assignment costs at most `ceiling`."""
        if ceiling is None:
            return False
        found = self.cost is not None and self.cost <= ceiling
        return found or (self.bound is not None and self.bound > ceiling)

    def raise_bound(self, bound: int | None) -> None:
        if bound is not None and (self.bound is None or bound > self.bound):
            self.bound = bound


def max_housed(
    inst: Instance, pairs: EligiblePairs, cap: CapGroups, deadline: float | None
) -> Outcome:
    cost, top = score_costs(pairs.score[cap.usable])
    arcs = cap.arcs(inst, pairs, cost)
    start = _flow(arcs, None)
    if arcs.capped(start):
        return Outcome(cap.usable[start], "optimal", None, FLOW)
    amount = int(start.sum())
    best = optimise(arcs, amount, start, deadline, patience=1)
    if best.infeasible or best.unsettled:
        amount, witness, proven = largest_size(arcs, deadline)
        if not proven:
            return Outcome(cap.usable[witness], "feasible", None, PRICED)
        best = optimise(arcs, amount, _flow(arcs, amount), deadline, witness)
    if best.used is None:  # out of time before any capped assignment of that size
        amount, witness, _ = largest_size(arcs, time.perf_counter())
        return Outcome(cap.usable[witness], "feasible", None, PRICED)
    status: Status = "optimal" if best.proven else "feasible"
    bound = None if best.bound is None else amount * top - best.bound
    return Outcome(cap.usable[best.used], status, bound, PRICED)


def optimise(
    arcs: Arcs,
    amount: int,
    start: BoolArray,
    deadline: float | None,
    witness: BoolArray | None = None,
    patience: int | None = None,
    ceiling: int | None = None,
) -> Best:
    """The least-cost capped assignment of `amount` households.

    start: an uncapped least-cost assignment of that size. First the prices: an LP over
    the arcs of smallest reduced cost prices the cap groups, and a flow over all arcs with
    those prices is a lower bound for the whole problem; arcs that could do better join
    the LP until they stop coming (column generation). Then the integer program, on only
    the arcs whose priced bound is under a target: first the lower bound + 1 (the optimum
    usually equals it), raised while nothing that cheap exists.

    patience: how many times the LP may come out infeasible before giving up (unsettled),
    for callers with a faster way to find the largest capped size; None: until proven.
    ceiling: only whether some assignment costs at most this matters (stop once known)."""
    best = Best()
    if witness is not None:
        best.offer(arcs, witness)
    base = int(arcs.cost[start].sum())
    best.raise_bound(base)
    least = base + reduced_costs(arcs, arcs.cost, start)  # cheapest assignment using e
    keep = start | (least <= _quantile(least, max(EXACT_ARCS, EXACT_ARCS_PER_HOUSED * amount)))
    priced = _prices(arcs, amount, deadline, best, keep, least, patience, ceiling)
    if priced is not None:
        _close_gap(arcs, amount, deadline, best, priced, ceiling)
    return best


def _prices(
    arcs: Arcs,
    amount: int,
    deadline: float | None,
    best: Best,
    keep: BoolArray,
    least: Int64Array,
    patience: int | None,
    ceiling: int | None,
) -> Int64Array | None:
    """Column generation for the cap prices; returns each arc's priced lower bound (see
    `_price`), or None when best is settled, infeasible, unsettled or out of time."""
    while not _past(deadline):
        if best.used is not None:
            keep |= best.used
        idx = np.flatnonzero(keep)
        lp = solve_exact(arcs.subset(idx), amount, deadline, lp_only=True)
        if lp.status == "infeasible":
            if keep.all():
                best.infeasible = True
                return None
            if patience is not None:
                if patience == 0:
                    best.unsettled = True
                    return None
                patience -= 1
            keep = _grow(keep, ~keep, least)
            continue
        if lp.status != "optimal" or lp.bound is None:
            return None  # out of time
        if lp.used is not None:
            best.offer(arcs, _widen(idx, lp.used, len(arcs.cost)))
        best.prices = lp.prices
        priced_least = _price(arcs, amount, best, lp.prices)
        if best.proven or best.settles(ceiling):
            return None
        assert best.bound is not None
        # Arcs that might take part in something as cheap as this LP: not there yet?
        joining = (priced_least < PRICE_SCALE * lp.bound) & ~keep
        if best.bound >= lp.bound or not joining.any():
            return priced_least
        keep = _grow(keep, joining, least)
    return None


def _close_gap(
    arcs: Arcs,
    amount: int,
    deadline: float | None,
    best: Best,
    priced_least: Int64Array,
    ceiling: int | None,
) -> None:
    """The integer program on the arcs that could be in an assignment cheaper than a
    target. Its optimum over them settles everything under the target: the lower bound
    rises to min(optimum, target). The target starts at the bound + 1 and grows."""
    step = 1
    while not best.proven and not best.settles(ceiling) and not _past(deadline):
        assert best.bound is not None
        target = best.bound + step
        if best.cost is not None:
            target = min(target, best.cost)
        if ceiling is not None:
            target = min(target, ceiling + 1)
        keep = priced_least < PRICE_SCALE * target
        if best.used is not None:
            keep |= best.used
        idx = np.flatnonzero(keep)
        exact = solve_exact(arcs.subset(idx), amount, deadline)
        if exact.used is not None:
            best.offer(arcs, _widen(idx, exact.used, len(arcs.cost)))
        if exact.status == "infeasible":
            best.raise_bound(target)
        elif exact.status == "optimal" and exact.used is not None:
            best.raise_bound(min(int(arcs.cost[idx[exact.used]].sum()), target))
        else:
            return  # out of time
        step *= 4


def _price(arcs: Arcs, amount: int, best: Best, prices: FloatArray | None) -> Int64Array:
    """Raise best's bound with the flow priced by the LP's cap prices; per arc, a lower
    bound (times PRICE_SCALE) on the cost of any capped assignment using it."""
    scaled = np.zeros(len(arcs.allowance), np.int64)
    if prices is not None:
        scaled = np.rint(PRICE_SCALE * prices).astype(np.int64)
    flow, value, priced = lagrangian_bound(arcs, amount, scaled, PRICE_SCALE)
    best.raise_bound(-(-value // PRICE_SCALE))
    if arcs.capped(flow):
        best.offer(arcs, flow)
    least: Int64Array = value + reduced_costs(arcs, priced, flow)
    return least


def _grow(keep: BoolArray, wanted: BoolArray, least: Int64Array) -> BoolArray:
    """Add the wanted arcs the model lacks, at most as many as it holds (the cheapest by
    uncapped reduced cost first)."""
    missing = np.flatnonzero(wanted & ~keep)
    room = int(keep.sum())
    if len(missing) > room:
        missing = missing[np.argpartition(least[missing], room)[:room]]
    grown = keep.copy()
    grown[missing] = True
    return grown


def _quantile(values: Int64Array, count: int) -> int:
    """A threshold that about `count` of the values stay under."""
    if count >= len(values):
        return int(values.max(initial=0))
    return int(np.partition(values, count)[count])


def largest_size(arcs: Arcs, deadline: float | None) -> tuple[int, BoolArray, bool]:
    """K, a capped assignment of K households, and whether K is proven the largest."""
    exact = solve_exact(arcs, None, deadline)
    if exact.used is not None:
        return int(exact.used.sum()), exact.used, exact.status == "optimal"
    used = _flow(arcs, None, keep=arcs.group < 0)  # always capped: no one in a cap group
    return int(used.sum()), used, False


def _flow(
    arcs: Arcs,
    amount: int | None,
    cost: Int64Array | None = None,
    keep: BoolArray | None = None,
) -> BoolArray:
    used = arcs.flow(arcs.cost if cost is None else cost, amount, keep)
    if used is None:
        raise RuntimeError(f"no assignment of {amount} households, even without the cap")
    return used


def _widen(idx: IntpArray, used: BoolArray, size: int) -> BoolArray:
    full = np.zeros(size, np.bool_)
    full[idx[used]] = True
    return full


def _housed(arcs: Arcs, used: BoolArray) -> BoolArray:
    housed = np.zeros(arcs.n_households, np.bool_)
    housed[arcs.household[used]] = True
    return housed


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() >= deadline
