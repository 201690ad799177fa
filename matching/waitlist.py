"""What a waitlist would give: the greedy allocation that rounds are compared against.

Households go in the order of their own score term (w.urgency x urgency + w.waiting_day x
days waiting; ties: registered_on, then id), and each takes its best-scoring free unit among
those it is eligible for (ties: unit id). Eligibility, scores and the high-support cap are
the solver's own (matching.eligibility), so the two results differ only by the method.
Pure: no web, no database.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from msgspec import Struct

from matching.eligibility import eligible_pairs, exact_km
from matching.instance import build_instance
from matching.problem import Assignment, Problem


class Waitlist(Struct, frozen=True):
    housed: int
    total_score: int
    assignments: list[Assignment]  # sorted by household_id, as in the solver's Result


def waitlist(problem: Problem) -> Waitlist:
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    households = problem.households
    order = sorted(
        range(inst.n_households),
        key=lambda i: (-int(inst.household_term[i]), households[i].registered_on, households[i].id),
    )
    unit_rank = _string_ranks(inst.unit_ids)
    # Each household's pairs, best first: score high to low, then unit id.
    by_preference = np.lexsort((unit_rank[pairs.unit], -pairs.score, pairs.household))
    pair_household = pairs.household[by_preference]
    bounds = np.searchsorted(pair_household, np.arange(inst.n_households + 1)).tolist()
    units = pairs.unit[by_preference].tolist()
    scores = pairs.score[by_preference].tolist()
    building = inst.unit_building.tolist()
    allowance = inst.building_allowance.tolist()  # -1: no cap
    high_support = inst.high_support.tolist()
    free = [True] * inst.n_units
    taken: list[tuple[int, int, int]] = []
    for h in order:
        for k in range(bounds[h], bounds[h + 1]):
            u = units[k]
            if not free[u]:
                continue
            b = building[u]
            if high_support[h] and allowance[b] == 0:
                continue
            if high_support[h] and allowance[b] > 0:
                allowance[b] -= 1
            free[u] = False
            taken.append((h, u, scores[k]))
            break
    assignments = [
        Assignment(
            household_id=inst.household_ids[h],
            unit_id=inst.unit_ids[u],
            score=score,
            distance_km=round(exact_km(inst, h, u), 3),
        )
        for h, u, score in taken
    ]
    assignments.sort(key=lambda a: a.household_id)
    return Waitlist(
        housed=len(assignments),
        total_score=sum(a.score for a in assignments),
        assignments=assignments,
    )


def _string_ranks(ids: list[str]) -> npt.NDArray[np.int64]:
    """Each id's place in plain string order."""
    ranks = np.empty(len(ids), np.int64)
    ranks[np.array(sorted(range(len(ids)), key=ids.__getitem__), np.intp)] = np.arange(len(ids))
    return ranks
