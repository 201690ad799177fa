"""strict_priority under the cap: the set S of ALLOCATION.md, by its definition.

Going down the ranking, h joins S when some capped assignment of K households houses S
and h. With the cap this is not a matroid greedy any more, so it is decided exactly: a
witness assignment always houses S (most households are settled by looking at it), an
alternating-path search rules out those that cannot join even without the cap, and the
rest get an exact capped search (matching.capped.optimise) on a coarse question (how many
households outside S and h must be housed), which its bounds settle fast either way; a found
witness is then briefly improved for the ranking, so that it settles more households below.
"""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt

from matching.capped import (
    FLOW,
    PRICE_SCALE,
    PRICED,
    CapGroups,
    _flow,
    _housed,
    _past,
    largest_size,
    optimise,
    score_costs,
)
from matching.eligibility import EligiblePairs
from matching.explain import Outcome
from matching.instance import Instance
from matching.lagrangian import Arcs, lagrangian_bound
from matching.problem import Status

Int64Array = npt.NDArray[np.int64]
IntpArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def strict_priority(
    inst: Instance, pairs: EligiblePairs, cap: CapGroups, deadline: float | None
) -> Outcome:
    by_rank = cap.arcs(inst, pairs, inst.rank[pairs.household[cap.usable]])
    start = _flow(by_rank, None)
    if by_rank.capped(start):
        # The uncapped greedy basis respects the cap, so it is S: every capped set is
        # feasible uncapped, and the greedy basis already houses K households.
        members, witness, amount = _housed(by_rank, start), start, int(start.sum())
        easy = True
    else:
        easy = False
        found = _ranked_witness(by_rank, start, deadline)
        if found is None:
            _, witness, _ = largest_size(by_rank, time.perf_counter())
            return Outcome(cap.usable[witness], "feasible", None, PRICED)
        amount, witness = found
        members, witness, complete = _priority_set(by_rank, inst.rank, amount, witness, deadline)
        if not complete:
            return Outcome(cap.usable[witness], "feasible", None, PRICED)
    keep = np.flatnonzero(members[by_rank.household])
    cost, top = score_costs(pairs.score[cap.usable][keep])
    arcs = by_rank.subset(keep).with_cost(cost)
    start = _flow(arcs, amount)
    if arcs.capped(start):
        return Outcome(cap.usable[keep[start]], "optimal", None, FLOW if easy else PRICED)
    best = optimise(arcs, amount, start, deadline, witness[keep])
    assert best.used is not None  # the witness houses exactly S
    status: Status = "optimal" if best.proven else "feasible"
    bound = None if best.bound is None else amount * top - best.bound
    return Outcome(cap.usable[keep[best.used]], status, bound, PRICED)


def _ranked_witness(
    arcs: Arcs, start: BoolArray, deadline: float | None
) -> tuple[int, BoolArray] | None:
    """K and a capped assignment of K households favouring the top of the ranking."""
    amount = int(start.sum())
    best = optimise(arcs, amount, start, deadline, patience=1)
    if best.infeasible or best.unsettled:
        amount, witness, proven = largest_size(arcs, deadline)
        if not proven:
            return None
        best = optimise(arcs, amount, _flow(arcs, amount), deadline, witness)
    if best.used is None:
        return None
    return amount, best.used


def _priority_set(
    arcs: Arcs, rank: Int64Array, amount: int, witness: BoolArray, deadline: float | None
) -> tuple[BoolArray, BoolArray, bool]:
    """S of the contract, by its definition: down the ranking, add h when some capped
    assignment of K households houses S and h. The witness always houses S, so most
    households are decided without a search."""
    housed = _housed(arcs, witness)
    prices: FloatArray | None = None  # carried from check to check: often still a proof
    members = np.zeros(arcs.n_households, np.bool_)
    candidates = np.unique(arcs.household)
    # Arcs come grouped by household in index order (see EligiblePairs).
    first_arc = np.searchsorted(arcs.household, np.arange(arcs.n_households + 1))
    for h in candidates[np.argsort(rank[candidates], kind="stable")].tolist():
        if housed[h]:
            members[h] = True
            continue
        if not _matchable(arcs, first_arc, witness & members[arcs.household], h):
            continue  # S and h cannot all be housed even without the cap
        wanted = members.copy()
        wanted[h] = True
        found, prices = _houses(arcs, rank, amount, wanted, deadline, prices)
        if found is not None:
            members, witness, housed = wanted, found, _housed(arcs, found)
        elif _past(deadline):
            return members, witness, False
    return members, witness, True


def _matchable(arcs: Arcs, first_arc: IntpArray, matched: BoolArray, h: int) -> bool:
    """Whether the households of `matched` (a matching) and h can all be housed at once,
    cap aside: a search for an alternating path from h to a unit `matched` leaves free."""
    owner = np.full(arcs.n_units, -1, np.intp)
    owner[arcs.unit[matched]] = arcs.household[matched]
    seen_household = np.zeros(arcs.n_households, np.bool_)
    seen_unit = np.zeros(arcs.n_units, np.bool_)
    frontier = np.array([h], np.intp)
    seen_household[h] = True
    while len(frontier):
        starts, ends = first_arc[frontier], first_arc[frontier + 1]
        counts = ends - starts
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        units = np.unique(arcs.unit[offsets])
        units = units[~seen_unit[units]]
        if np.any(owner[units] < 0):
            return True
        seen_unit[units] = True
        frontier = owner[units]
        frontier = frontier[~seen_household[frontier]]
        seen_household[frontier] = True
    return False


def _houses(
    arcs: Arcs,
    rank: Int64Array,
    amount: int,
    wanted: BoolArray,
    deadline: float | None,
    prices: FloatArray | None,
) -> tuple[BoolArray | None, FloatArray | None]:
    """A capped assignment of `amount` housing every wanted household; None when there is
    none (or the deadline passed first). Also the cap prices to try first next time.

    First the best-ranked uncapped assignment that houses the wanted households (cost 0 for a
    wanted household, `big` + its rank for another, big above any sum of ranks): when it
    respects the cap it is the answer. Otherwise the question is one of counts: with cost 1
    for each other household housed, an assignment houses every wanted household exactly when
    it costs at most amount - wanted. That coarse objective is what the capped search settles
    fast, both ways; the previous check's prices often settle it with one priced flow."""
    big = (amount + 1) * (int(rank.max(initial=0)) + 1)
    cost = np.where(wanted[arcs.household], 0, big + rank[arcs.household]).astype(np.int64)
    start = arcs.with_cost(cost).flow(cost, amount)
    if start is None or int(cost[start].sum()) > (amount - int(wanted.sum()) + 1) * big - 1:
        return None, prices  # not even without the cap
    if arcs.capped(start):
        return start, prices
    counted_cost = np.where(wanted[arcs.household], 0, 1).astype(np.int64)
    counted = arcs.with_cost(counted_cost)
    limit = amount - int(wanted.sum())
    if prices is not None:
        scaled = np.rint(PRICE_SCALE * prices).astype(np.int64)
        flow, value, _ = lagrangian_bound(counted, amount, scaled, PRICE_SCALE)
        if -(-value // PRICE_SCALE) > limit:
            return None, prices
        if counted.capped(flow) and int(counted_cost[flow].sum()) <= limit:
            return flow, prices
    # `start` is also a least-cost uncapped assignment for the counts (big dominates the ranks).
    best = optimise(counted, amount, start, deadline, ceiling=limit)
    found = None if best.cost is None or best.cost > limit else best.used
    if found is not None:
        # A witness that also houses the best-ranked others settles more households below;
        # look for one briefly, keeping this one if none turns up.
        soon = time.perf_counter() + 0.2
        ranked = optimise(
            arcs.with_cost(cost),
            amount,
            start,
            soon if deadline is None else min(deadline, soon),
            witness=found,
        )
        if ranked.used is not None and int(cost[ranked.used].sum()) <= int(cost[found].sum()):
            found = ranked.used
    return found, best.prices if best.prices is not None else prices
