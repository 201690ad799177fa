"""From chosen pairs to the contract's Result: assignments, reasons, stats, in a fixed order."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.eligibility import EligiblePairs, exact_km, rule_failures
from matching.instance import RULES, Instance
from matching.problem import (
    Assignment,
    GivenTo,
    Mode,
    Result,
    RuleCounts,
    Stats,
    Status,
    Unassigned,
    Vacant,
)

IntpArray = npt.NDArray[np.intp]
GIVEN_TO = 3  # how many of a left-out household's best units its explanation names


@dataclass(frozen=True)
class Outcome:
    """What an optimiser decided: indices into the eligible pairs, and how sure it is."""

    chosen: IntpArray
    status: Status
    bound: int | None
    solver: str


def build_result(
    mode: Mode, inst: Instance, pairs: EligiblePairs, outcome: Outcome, started: float
) -> Result:
    """The Result; `started` (time.perf_counter) is when solving began, for stats.seconds."""
    chosen = np.sort(outcome.chosen)
    holder = np.full(inst.n_units, -1, np.intp)  # unit -> household who got it
    holder[pairs.unit[chosen]] = pairs.household[chosen]
    housed = np.zeros(inst.n_households, np.bool_)
    housed[pairs.household[chosen]] = True
    total = int(pairs.score[chosen].sum())
    bound = outcome.bound
    if outcome.status == "optimal":
        bound = total
    elif bound is not None:
        bound = max(bound, total)
    assignments = _assignments(inst, pairs, chosen)
    unassigned = _unassigned(inst, pairs, housed, holder)
    vacant = _vacant(inst, pairs, holder)
    return Result(
        mode=mode,
        status=outcome.status,
        housed=len(chosen),
        total_score=total,
        bound=bound,
        assignments=assignments,
        unassigned=unassigned,
        vacant=vacant,
        stats=Stats(
            households=inst.n_households,
            units=inst.n_units,
            eligible_pairs=len(pairs),
            seconds=round(time.perf_counter() - started, 3),
            solver=outcome.solver,
        ),
    )


def _assignments(inst: Instance, pairs: EligiblePairs, chosen: IntpArray) -> list[Assignment]:
    rows = [
        Assignment(
            household_id=inst.household_ids[h],
            unit_id=inst.unit_ids[u],
            score=score,
            distance_km=round(exact_km(inst, h, u), 3),
        )
        for h, u, score in zip(
            pairs.household[chosen].tolist(),
            pairs.unit[chosen].tolist(),
            pairs.score[chosen].tolist(),
            strict=True,
        )
    ]
    rows.sort(key=lambda a: a.household_id)
    return rows


def _unassigned(
    inst: Instance, pairs: EligiblePairs, housed: npt.NDArray[np.bool_], holder: IntpArray
) -> list[Unassigned]:
    degree = np.bincount(pairs.household, minlength=inst.n_households)
    rows: list[Unassigned] = []
    lonely = np.flatnonzero(degree == 0)
    for h, counts in zip(lonely.tolist(), rule_failures(inst, lonely).tolist(), strict=True):
        rules = RuleCounts(**dict(zip(RULES, counts, strict=True)))
        rows.append(Unassigned(inst.household_ids[h], "no_eligible_unit", rules=rules))
    # One (frozen) entry per unit, shared by every household that mentions it.
    given = [
        GivenTo(unit_id=unit_id, household_id=None if h < 0 else inst.household_ids[h])
        for unit_id, h in zip(inst.unit_ids, holder.tolist(), strict=True)
    ]
    for h, units in _best_units(inst, pairs, ~housed & (degree > 0)):
        entries = [given[u] for u in units]
        rows.append(Unassigned(inst.household_ids[h], "outcompeted", given_to=entries))
    rows.sort(key=lambda r: r.household_id)
    return rows


def _best_units(
    inst: Instance, pairs: EligiblePairs, households: npt.NDArray[np.bool_]
) -> list[tuple[int, list[int]]]:
    """Up to GIVEN_TO units per household, highest score first, ties by unit id."""
    selected = np.flatnonzero(households[pairs.household])
    if len(selected) == 0:
        return []
    household = pairs.household[selected]
    unit = pairs.unit[selected]
    id_rank = np.empty(inst.n_units, np.int64)
    id_rank[np.array(sorted(range(inst.n_units), key=inst.unit_ids.__getitem__), np.intp)] = (
        np.arange(inst.n_units)
    )
    # Smaller is better; a unit's id rank makes the key unique within a household.
    key = -pairs.score[selected].astype(np.int64) * inst.n_units + id_rank[unit]
    starts = np.flatnonzero(np.r_[True, household[1:] != household[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    taken = np.iinfo(np.int64).max
    picks = []
    for _ in range(GIVEN_TO):
        group_min = np.minimum.reduceat(key, starts)
        picks.append(np.flatnonzero((key == np.repeat(group_min, sizes)) & (key != taken)))
        key[picks[-1]] = taken
    # Pairs are grouped by household, so each household's picks come out in rounds order.
    chosen = np.concatenate(picks)
    order = np.lexsort((np.repeat(np.arange(GIVEN_TO), [len(p) for p in picks]), household[chosen]))
    chosen = chosen[order]
    result: list[tuple[int, list[int]]] = []
    for h, u in zip(household[chosen].tolist(), unit[chosen].tolist(), strict=True):
        if result and result[-1][0] == h:
            result[-1][1].append(u)
        else:
            result.append((h, [u]))
    return result


def _vacant(inst: Instance, pairs: EligiblePairs, holder: IntpArray) -> list[Vacant]:
    degree = np.bincount(pairs.unit, minlength=inst.n_units)
    rows = [
        Vacant(inst.unit_ids[u], "no_eligible_household" if degree[u] == 0 else "outcompeted")
        for u in np.flatnonzero(holder < 0).tolist()
    ]
    rows.sort(key=lambda v: v.unit_id)
    return rows
