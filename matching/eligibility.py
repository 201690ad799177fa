"""Which household may take which unit, for all pairs at once, and why not.

Households go in chunks, so memory is bounded by a chunk times the units, never by
households x units. In a chunk, columns are the units laid out by matching.reach: the
cheap rules are a table look-up and a comparison, and a household's reach is a union of
column ranges that holds every unit in reach. Only the pairs that pass all that get a
distance: a chord estimate, exact (geopy's formula, in Python) for the
few pairs where the estimate is too close to a boundary to decide (see matching.distance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching import distance, reach
from matching.instance import RULES, Instance

Int32Array = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
IntpArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

PAIRS_PER_CHUNK = 4_000_000


@dataclass(frozen=True)
class EligiblePairs:
    """Eligible (household, unit) index pairs, grouped by household in index order."""

    household: Int32Array
    unit: Int32Array
    metres: Int64Array
    score: Int64Array

    def __len__(self) -> int:
        return len(self.household)


def eligible_pairs(inst: Instance) -> EligiblePairs:
    rows = np.arange(inst.n_households if inst.n_units else 0)
    parts = [_chunk_pairs(inst, chunk) for chunk in _chunks(inst, rows)]
    household = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
    unit = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    metres = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
    penalty = (np.int64(inst.weight_km) * metres) // 1000
    score = inst.household_term[household] - penalty
    return EligiblePairs(household, unit, metres, score)


def _chunks(inst: Instance, households: IntpArray) -> list[IntpArray]:
    size = max(1, PAIRS_PER_CHUNK // max(1, inst.n_units))
    return [households[s : s + size] for s in range(0, len(households), size)]


def _chunk_pairs(inst: Instance, rows: IntpArray) -> tuple[Int32Array, Int32Array, Int64Array]:
    mask = inst.static_ok_by_column[inst.profile[rows]]
    mask &= inst.unit_cost_by_column[None, :] <= inst.cost_limit[rows, None]
    mask &= _bands(inst, rows)
    _drop_excluded(inst, mask, rows)
    flat = np.flatnonzero(mask)
    row = flat // inst.n_units
    unit = inst.grid.order[flat - row * inst.n_units]
    within, km = _reach(inst, rows, row, unit)
    metres = np.rint(km[within] * 1000.0).astype(np.int64)
    return rows[row[within]].astype(np.int32), unit[within].astype(np.int32), metres


def _bands(inst: Instance, rows: IntpArray) -> BoolArray:
    """(rows, columns): True where a unit may be within reach (matching.reach); rows
    without a distance rule are all True."""
    n_rows, n_units = len(rows), inst.n_units
    rule = inst.distance_rule[rows]
    free = np.flatnonzero(~rule)
    ruled = np.flatnonzero(rule)
    counts = inst.location_count[rows[ruled]]
    owner = np.repeat(ruled, counts)
    starts = inst.location_start[rows[ruled]]
    location = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    which, low, high = reach.ranges(
        inst.grid,
        inst.location_lat[location],
        inst.location_lon[location],
        inst.max_km[rows[owner]],
    )
    return _fill_ranges(
        np.concatenate([free, owner[which]]),
        np.concatenate([np.zeros(len(free), np.intp), low]),
        np.concatenate([np.full(len(free), n_units, np.intp), high]),
        n_rows,
        n_units,
    )


def _fill_ranges(
    owner: IntpArray, low: IntpArray, high: IntpArray, n_rows: int, n_units: int
) -> BoolArray:
    """A (n_rows, n_units) mask, True on [low, high) of each owner's row (ranges may overlap)."""
    if len(owner) == 0:
        return np.zeros((n_rows, n_units), np.bool_)
    start = owner.astype(np.int64) * n_units + low
    end = owner.astype(np.int64) * n_units + high
    order = np.lexsort((start, owner))
    start, end = start[order], np.maximum.accumulate(end[order])
    fresh = np.ones(len(start), np.bool_)
    fresh[1:] = start[1:] > end[:-1]
    first = np.flatnonzero(fresh)
    last = np.append(first[1:] - 1, len(start) - 1)
    bounds = np.empty(2 * len(first) + 2, np.int64)
    bounds[0], bounds[-1] = 0, n_rows * n_units
    bounds[1:-1:2], bounds[2:-1:2] = start[first], end[last]
    values = np.zeros(2 * len(first) + 1, np.bool_)
    values[1::2] = True
    return np.repeat(values, np.diff(bounds)).reshape(n_rows, n_units)


def _drop_excluded(inst: Instance, mask: BoolArray, rows: IntpArray) -> None:
    lo, hi = np.searchsorted(inst.excluded_household, [rows[0], rows[-1] + 1])
    if lo == hi:
        return
    household, unit = inst.excluded_household[lo:hi], inst.excluded_unit[lo:hi]
    mask[household - rows[0], inst.grid.column[unit]] = False


def _reach(
    inst: Instance, rows: IntpArray, row: IntpArray, unit: IntpArray
) -> tuple[BoolArray, FloatArray]:
    """For candidate pairs (rows[row], unit), `row` ascending: whether the distance rule
    holds, and d(h, u) where it does. Per-household values are repeated over each row's
    run of candidates rather than gathered pair by pair."""
    per_row = np.bincount(row, minlength=len(rows))
    count = inst.location_count[rows]
    if len(row) == 0 or not count.any():
        return np.ones(len(row), np.bool_), np.zeros(len(row), np.float64)
    c2 = _nearest_chord_sq(inst, rows, per_row, unit)
    located = np.repeat(count > 0, per_row)
    within: BoolArray = c2 <= np.repeat(inst.reach_chord_sq[rows], per_row)
    sure = np.flatnonzero(within & located)
    c2 = c2[sure]
    estimate = distance.chord_sq_to_km(c2)
    limit = np.repeat(inst.max_km[rows], per_row)[sure]
    doubtful = distance.near_antipode(c2) | distance.near_half_metre(estimate)
    doubtful |= np.abs(estimate - limit) <= distance.ESTIMATE_SLACK_KM
    for i in np.flatnonzero(doubtful).tolist():
        pair = int(sure[i])
        estimate[i] = exact_km(inst, int(rows[row[pair]]), int(unit[pair]))
    km = np.zeros(len(row), np.float64)
    km[sure] = estimate
    within[sure] = estimate <= limit
    return within, km


def _nearest_chord_sq(
    inst: Instance, rows: IntpArray, per_row: npt.NDArray[np.intp], unit: IntpArray
) -> FloatArray:
    """Squared chord from each candidate's unit to the nearest location of its household
    (rows without a location get a meaningless value; the caller ignores it)."""
    ux, uy, uz = inst.unit_xyz
    u_xyz = (ux[unit], uy[unit], uz[unit])
    lx, ly, lz = inst.location_xyz
    first = np.minimum(inst.location_start[rows], max(len(lx) - 1, 0))
    count = inst.location_count[rows]
    c2 = distance.chord_sq(tuple(np.repeat(c[first], per_row) for c in (lx, ly, lz)), u_xyz)
    offsets = np.cumsum(per_row) - per_row
    for slot in range(1, int(count.max(initial=0))):
        more = np.flatnonzero(count > slot)
        runs = per_row[more]
        pairs = np.repeat(offsets[more] - np.cumsum(runs) + runs, runs) + np.arange(runs.sum())
        loc = first[more] + slot
        other = distance.chord_sq(
            tuple(np.repeat(c[loc], runs) for c in (lx, ly, lz)), tuple(c[pairs] for c in u_xyz)
        )
        c2[pairs] = np.minimum(c2[pairs], other)
    return c2


def exact_km(inst: Instance, household: int, unit: int) -> float:
    """The exact d(h, u), as the contract defines it."""
    start = int(inst.location_start[household])
    stop = start + int(inst.location_count[household])
    locations = zip(
        inst.location_lat[start:stop].tolist(), inst.location_lon[start:stop].tolist(), strict=True
    )
    return distance.nearest_km(
        list(locations), float(inst.unit_lat[unit]), float(inst.unit_lon[unit])
    )


def rule_failures(inst: Instance, households: IntpArray) -> Int64Array:
    """Per household (sorted indices), how many units fail each rule (columns in RULES)."""
    out = np.zeros((len(households), len(RULES)), np.int64)
    if inst.n_units == 0 or len(households) == 0:
        return out
    n_units = inst.n_units
    occupancy_failures = n_units - inst.occupancy_ok.sum(axis=1)
    sorted_cost = np.sort(inst.unit_cost)
    out[:, 0] = occupancy_failures[inst.size[households]]
    out[:, 1] = np.where(inst.wheelchair[households], (~inst.unit_wheelchair).sum(), 0)
    no_step = ~(inst.unit_step_free | inst.unit_wheelchair)
    out[:, 2] = np.where(inst.step_free[households], no_step.sum(), 0)
    for column, limit in ((3, inst.affordable), (4, inst.max_rent)):
        out[:, column] = n_units - np.searchsorted(sorted_cost, limit[households], side="right")
    out[:, 6] = inst.excluded_count[households]
    out[:, 7] = (~inst.unit_available).sum()
    start = 0
    for rows in _chunks(inst, households):
        out[start : start + len(rows), 5] = _distance_failures(inst, rows)
        start += len(rows)
    return out


def _distance_failures(inst: Instance, rows: IntpArray) -> Int64Array:
    ruled = np.flatnonzero(inst.distance_rule[rows])
    failures = np.zeros(len(rows), np.int64)
    if len(ruled) == 0:
        return failures
    bands = _bands(inst, rows[ruled])
    flat = np.flatnonzero(bands)
    row = flat // inst.n_units
    within, _ = _reach(inst, rows[ruled], row, inst.grid.order[flat - row * inst.n_units])
    failures[ruled] = inst.n_units - np.bincount(row[within], minlength=len(ruled))
    return failures
