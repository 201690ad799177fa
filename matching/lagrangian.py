"""The cap priced into a flow: lower bounds and reduced costs for capped assignments.

The cap (at most A_g high-support households in the units of building g) is the only
constraint a flow cannot express. Moving it into the objective with a price lam_g >= 0 on
each high-support arc into g gives a flow again, and for every lam

    L(lam) = min over assignments of size K of  cost(x) + sum_g lam_g (load_g(x) - A_g)

is a lower bound on the cost of every capped assignment of size K (Lagrangian relaxation).
Node potentials of that flow give each arc a reduced cost: an assignment using arc e costs
at least L(lam) + reduced(e), so arcs whose bound exceeds a known cost can be left out of
the exact model (matching.mip).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching import flows

Int64Array = npt.NDArray[np.int64]
IntpArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Arcs:
    """A capped assignment problem: arcs with non-negative integer costs."""

    n_households: int
    n_units: int
    household: IntpArray
    unit: IntpArray
    cost: Int64Array
    group: IntpArray  # the cap group of each arc, -1 when the cap does not concern it
    allowance: Int64Array  # per group

    def with_cost(self, cost: Int64Array) -> Arcs:
        return Arcs(
            self.n_households,
            self.n_units,
            self.household,
            self.unit,
            cost,
            self.group,
            self.allowance,
        )

    def subset(self, keep: IntpArray) -> Arcs:
        return Arcs(
            self.n_households,
            self.n_units,
            self.household[keep],
            self.unit[keep],
            self.cost[keep],
            self.group[keep],
            self.allowance,
        )

    def load(self, used: BoolArray) -> Int64Array:
        grouped = used & (self.group >= 0)
        return np.bincount(self.group[grouped], minlength=len(self.allowance)).astype(np.int64)

    def capped(self, used: BoolArray) -> bool:
        return bool(np.all(self.load(used) <= self.allowance))

    def flow(
        self, cost: Int64Array, amount: int | None, keep: BoolArray | None = None
    ) -> BoolArray | None:
        """Least-cost assignment of `amount` (None: as many as possible) over the arcs
        `keep` selects; None when `amount` is out of reach."""
        if keep is None:
            return flows.assign(
                self.n_households, self.n_units, self.household, self.unit, cost, amount=amount
            )
        idx = np.flatnonzero(keep)
        part = flows.assign(
            self.n_households,
            self.n_units,
            self.household[idx],
            self.unit[idx],
            cost[idx],
            amount=amount,
        )
        if part is None:
            return None
        used = np.zeros(len(self.household), np.bool_)
        used[idx[part]] = True
        return used


def lagrangian_bound(
    arcs: Arcs, amount: int, prices: Int64Array, scale: int
) -> tuple[BoolArray, int, Int64Array]:
    """The flow with the cap moved into the costs: (flow, value, priced costs).

    Costs are `scale` times the arcs' costs plus the group's price on each concerned arc;
    value / scale is a lower bound on the cost of every capped assignment of `amount`."""
    priced = scale * arcs.cost + np.where(arcs.group >= 0, prices[np.maximum(arcs.group, 0)], 0)
    flow = arcs.flow(priced, amount)
    if flow is None:
        raise flows.FlowError(f"no assignment of {amount} households, even without the cap")
    value = int(priced[flow].sum()) - int((prices * arcs.allowance).sum())
    return flow, value, priced


def reduced_costs(arcs: Arcs, cost: Int64Array, used: BoolArray) -> Int64Array:
    """Reduced costs of `cost` w.r.t. node potentials that prove the flow `used` optimal.

    Potentials are shortest distances in the residual network from a virtual root joined
    to every node (Bellman-Ford, vectorised over arcs); any other assignment of the same
    size that uses an unused arc e costs at least cost(used) + reduced(e)."""
    n_h, n_u = arcs.n_households, arcs.n_units
    source, sink = n_h + n_u, n_h + n_u + 1
    h_node, u_node = arcs.household, n_h + arcs.unit
    matched_h = np.zeros(n_h, np.bool_)
    matched_h[arcs.household[used]] = True
    matched_u = np.zeros(n_u, np.bool_)
    matched_u[arcs.unit[used]] = True
    households, units = np.arange(n_h), n_h + np.arange(n_u)
    tail = np.concatenate(
        [
            np.where(used, u_node, h_node),
            np.where(matched_h, households, source),
            np.where(matched_u, sink, units),
        ]
    )
    head = np.concatenate(
        [
            np.where(used, h_node, u_node),
            np.where(matched_h, source, households),
            np.where(matched_u, units, sink),
        ]
    )
    weight = np.concatenate([np.where(used, -cost, cost), np.zeros(n_h + n_u, np.int64)])
    dist = _shortest_from_everywhere(tail, head, weight, n_h + n_u + 2)
    reduced: Int64Array = cost + dist[h_node] - dist[u_node]
    return reduced


def _shortest_from_everywhere(
    tail: IntpArray, head: IntpArray, weight: Int64Array, n_nodes: int
) -> Int64Array:
    order = np.argsort(head, kind="stable")
    tail, head, weight = tail[order], head[order], weight[order]
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
    targets = head[starts]
    dist = np.zeros(n_nodes, np.int64)
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(dist[tail] + weight, starts)
        improved = best < dist[targets]
        if not improved.any():
            return dist
        dist[targets[improved]] = best[improved]
    raise flows.FlowError("negative cycle: the flow was not optimal")
