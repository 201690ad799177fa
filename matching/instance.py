"""A Problem as NumPy arrays: one pass over the Structs, then everything is vectorised."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from matching import distance, reach
from matching.problem import Problem

RULES = (
    "occupancy",
    "wheelchair",
    "step_free",
    "affordability",
    "max_rent",
    "distance",
    "excluded",
    "not_available",
)
NO_LIMIT = 1 << 62  # above any rent + charges (each at most 10^9 cents)
MAX_SIZE = 40  # 20 adults + 20 children

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntpArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Instance:
    n_households: int
    n_units: int
    household_ids: list[str]
    unit_ids: list[str]
    # units
    unit_cost: Int64Array
    unit_wheelchair: BoolArray
    unit_step_free: BoolArray
    unit_available: BoolArray
    unit_lat: FloatArray
    unit_lon: FloatArray
    unit_xyz: tuple[FloatArray, FloatArray, FloatArray]
    unit_building: IntpArray
    building_allowance: Int64Array  # high-support places left per building; -1: no cap
    occupancy_ok: BoolArray  # (MAX_SIZE + 1, units)
    grid: reach.Layout  # units as columns: latitude cells, then longitude
    unit_cost_by_column: Int64Array
    # households
    size: IntpArray
    wheelchair: BoolArray
    step_free: BoolArray
    affordable: Int64Array
    max_rent: Int64Array
    cost_limit: Int64Array
    profile: IntpArray
    static_ok_by_column: BoolArray  # (profiles, columns): occupancy, access, availability
    distance_rule: BoolArray
    max_km: FloatArray
    reach_chord_sq: FloatArray  # squared chord of max_distance_km + 1 mm (inf: no rule)
    location_lat: FloatArray
    location_lon: FloatArray
    location_xyz: tuple[FloatArray, FloatArray, FloatArray]
    location_start: IntpArray
    location_count: IntpArray
    excluded_household: IntpArray  # excluded (household, unit) pairs, by household
    excluded_unit: IntpArray
    excluded_count: Int64Array
    household_term: Int64Array  # w.urgency * urgency + w.waiting_day * days_waiting
    high_support: BoolArray
    rank: Int64Array  # place in the priority ranking, 0 first
    weight_km: int


def build_instance(problem: Problem) -> Instance:
    units, households, policy = problem.units, problem.households, problem.policy
    n_units = len(units)
    unit_index = {u.id: i for i, u in enumerate(units)}
    lat = np.array([u.lat for u in units], np.float64)
    lon = np.array([u.lon for u in units], np.float64)
    unit_cost = np.array([u.rent_cents + u.charges_cents for u in units], np.int64)
    unit_wheelchair = np.array([u.wheelchair_accessible for u in units], np.bool_)
    unit_step_free = np.array([u.step_free for u in units], np.bool_)
    unit_available = np.array(
        [u.available_from is None or u.available_from <= problem.round_date for u in units],
        np.bool_,
    )
    sizes = np.arange(MAX_SIZE + 1)[:, None]
    min_occ = np.array([u.min_occupants for u in units], np.int64)
    max_occ = np.array([u.max_occupants for u in units], np.int64)
    occupancy_ok = (min_occ[None, :] <= sizes) & (sizes <= max_occ[None, :])
    unit_building, allowance = _buildings(problem)

    size = np.array([h.adults + h.children for h in households], np.intp)
    wheelchair = np.array([h.wheelchair for h in households], np.bool_)
    step_free = np.array([h.step_free for h in households], np.bool_)
    affordable = _affordable(problem)
    max_rent = np.array(
        [NO_LIMIT if h.max_rent_cents is None else h.max_rent_cents for h in households], np.int64
    )
    keys = size * 4 + wheelchair * 2 + step_free
    profile_keys, profile = np.unique(keys, return_inverse=True)
    p_size, p_wheel, p_step = profile_keys // 4, (profile_keys // 2) % 2 == 1, profile_keys % 2 == 1
    static_ok = (
        occupancy_ok[p_size]
        & (~p_wheel[:, None] | unit_wheelchair[None, :])
        & (~p_step[:, None] | unit_step_free[None, :] | unit_wheelchair[None, :])
        & unit_available[None, :]
    )
    count = np.array([len(h.preferred_locations) for h in households], np.intp)
    flat = [p for h in households for p in h.preferred_locations]
    location_lat = np.array([p.lat for p in flat], np.float64)
    location_lon = np.array([p.lon for p in flat], np.float64)
    location_xyz = distance.unit_vectors(location_lat, location_lon)
    max_km = np.array(
        [np.inf if h.max_distance_km is None else h.max_distance_km for h in households],
        np.float64,
    )
    distance_rule = (count > 0) & np.isfinite(max_km)
    grid = reach.layout(lat, lon, reach.half_width_degrees(max_km[distance_rule]))
    excluded, excluded_count = _exclusions(problem, unit_index)
    weights = policy.weights
    days = np.array(
        [max(0, (problem.round_date - h.registered_on).days) for h in households], np.int64
    )
    urgency = np.array([h.urgency for h in households], np.int64)
    return Instance(
        n_households=len(households),
        n_units=n_units,
        household_ids=[h.id for h in households],
        unit_ids=[u.id for u in units],
        unit_cost=unit_cost,
        unit_wheelchair=unit_wheelchair,
        unit_step_free=unit_step_free,
        unit_available=unit_available,
        unit_lat=lat,
        unit_lon=lon,
        unit_xyz=distance.unit_vectors(lat, lon),
        unit_building=unit_building,
        building_allowance=allowance,
        occupancy_ok=occupancy_ok,
        grid=grid,
        unit_cost_by_column=unit_cost[grid.order],
        size=size,
        wheelchair=wheelchair,
        step_free=step_free,
        affordable=affordable,
        max_rent=max_rent,
        cost_limit=np.minimum(affordable, max_rent),
        profile=profile.reshape(-1).astype(np.intp),
        static_ok_by_column=static_ok.reshape(len(profile_keys), n_units)[:, grid.order],
        distance_rule=distance_rule,
        max_km=max_km,
        reach_chord_sq=np.where(
            distance_rule,
            distance.chord_sq_of_km(np.where(distance_rule, max_km, 0.0) + 1e-6),
            np.inf,
        ),
        location_lat=location_lat,
        location_lon=location_lon,
        location_xyz=location_xyz,
        location_start=(np.cumsum(count) - count).astype(np.intp),
        location_count=count,
        excluded_household=excluded[0],
        excluded_unit=excluded[1],
        excluded_count=excluded_count,
        household_term=weights.urgency * urgency + weights.waiting_day * days,
        high_support=np.array([h.high_support for h in households], np.bool_),
        rank=_ranks(problem),
        weight_km=weights.km,
    )


def _ranks(problem: Problem) -> Int64Array:
    """Urgency high first, then registered early first, then id in string order."""
    households = problem.households
    order = sorted(
        range(len(households)),
        key=lambda i: (-households[i].urgency, households[i].registered_on, households[i].id),
    )
    rank = np.empty(len(households), np.int64)
    rank[np.array(order, np.intp)] = np.arange(len(households))
    return rank


def _affordable(problem: Problem) -> Int64Array:
    """floor(Decimal(str(ratio)) * income), in integers: ratio = p / q exactly."""
    ratio = problem.policy.affordability_ratio
    if ratio is None:
        return np.full(len(problem.households), NO_LIMIT, np.int64)
    p, q = Decimal(str(ratio)).as_integer_ratio()
    return np.array([(p * h.monthly_income_cents) // q for h in problem.households], np.int64)


def _buildings(problem: Problem) -> tuple[IntpArray, Int64Array]:
    """Each unit's building index, and per building the high-support places the cap leaves."""
    index: dict[str, int] = {}
    for building in problem.buildings:
        index.setdefault(building.id, len(index))
    unit_building = np.array(
        [index.setdefault(u.building_id, len(index)) for u in problem.units], np.intp
    )
    present = np.zeros(len(index), np.int64)
    for building in problem.buildings:
        present[index[building.id]] = building.high_support_households
    cap = problem.policy.max_high_support_per_building
    if cap is None:
        return unit_building, np.full(len(index), -1, np.int64)
    return unit_building, np.maximum(0, cap - present)


def _exclusions(
    problem: Problem, unit_index: dict[str, int]
) -> tuple[tuple[IntpArray, IntpArray], Int64Array]:
    """Excluded (household, unit) pairs, by household, and how many units each excludes
    (unknown ids are ignored, a repeated id counts once)."""
    n_units = len(problem.units)
    keys = np.array(
        [
            h * n_units + unit_index[i]
            for h, household in enumerate(problem.households)
            for i in household.excluded_units
            if i in unit_index
        ],
        np.int64,
    )
    keys = np.unique(keys)
    household = (keys // max(n_units, 1)).astype(np.intp)
    counts = np.bincount(household, minlength=len(problem.households)).astype(np.int64)
    return (household, (keys - household * n_units).astype(np.intp)), counts
