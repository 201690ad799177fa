"""ALLOCATION.md read literally, in plain Python, for tiny instances: the oracle of the tests.

Nothing here is shared with matching/: eligibility uses geopy and Decimal directly, and the
optimum is found by listing every assignment.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

from geopy.distance import great_circle

from matching.problem import Household, Problem, Unit

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


def distance_km(h: Household, u: Unit) -> float:
    if not h.preferred_locations:
        return 0.0
    return min(great_circle((p.lat, p.lon), (u.lat, u.lon)).km for p in h.preferred_locations)


def failed_rules(problem: Problem, h: Household, u: Unit) -> set[str]:
    failed: set[str] = set()
    size = h.adults + h.children
    cost = u.rent_cents + u.charges_cents
    ratio = problem.policy.affordability_ratio
    if not u.min_occupants <= size <= u.max_occupants:
        failed.add("occupancy")
    if h.wheelchair and not u.wheelchair_accessible:
        failed.add("wheelchair")
    if h.step_free and not (u.step_free or u.wheelchair_accessible):
        failed.add("step_free")
    if ratio is not None and cost > math.floor(Decimal(str(ratio)) * h.monthly_income_cents):
        failed.add("affordability")
    if h.max_rent_cents is not None and cost > h.max_rent_cents:
        failed.add("max_rent")
    if (
        h.preferred_locations
        and h.max_distance_km is not None
        and distance_km(h, u) > h.max_distance_km
    ):
        failed.add("distance")
    if u.id in h.excluded_units:
        failed.add("excluded")
    if u.available_from is not None and u.available_from > problem.round_date:
        failed.add("not_available")
    return failed


def score(problem: Problem, h: Household, u: Unit) -> int:
    w = problem.policy.weights
    days = max(0, (problem.round_date - h.registered_on).days)
    metres = round(distance_km(h, u) * 1000)
    return w.urgency * h.urgency + w.waiting_day * days - (w.km * metres) // 1000


def eligible(problem: Problem) -> dict[tuple[str, str], int]:
    """(household id, unit id) -> score, for every eligible pair."""
    return {
        (h.id, u.id): score(problem, h, u)
        for h in problem.households
        for u in problem.units
        if not failed_rules(problem, h, u)
    }


def allowance(problem: Problem) -> dict[str, int] | None:
    k = problem.policy.max_high_support_per_building
    if k is None:
        return None
    present = {b.id: b.high_support_households for b in problem.buildings}
    return {u.building_id: max(0, k - present.get(u.building_id, 0)) for u in problem.units}


def assignments(problem: Problem) -> Iterator[dict[str, str]]:
    """Every assignment (household id -> unit id) that respects eligibility and the cap."""
    pairs = eligible(problem)
    places = allowance(problem)
    building = {u.id: u.building_id for u in problem.units}
    support = {h.id: h.high_support for h in problem.households}
    ids = [h.id for h in problem.households]

    def extend(i: int, taken: dict[str, str]) -> Iterator[dict[str, str]]:
        if i == len(ids):
            yield dict(taken)
            return
        yield from extend(i + 1, taken)
        used = set(taken.values())
        for u in problem.units:
            if (ids[i], u.id) not in pairs or u.id in used:
                continue
            if places is not None and support[ids[i]]:
                load = sum(
                    1 for h, v in taken.items() if support[h] and building[v] == building[u.id]
                )
                if load + 1 > places[building[u.id]]:
                    continue
            taken[ids[i]] = u.id
            yield from extend(i + 1, taken)
            del taken[ids[i]]

    yield from extend(0, {})


def total(problem: Problem, assignment: dict[str, str]) -> int:
    pairs = eligible(problem)
    return sum(pairs[(h, u)] for h, u in assignment.items())


def optimum(problem: Problem) -> tuple[int, int, frozenset[str] | None]:
    """(K, best total score, the housed set S for strict_priority else None)."""
    every = list(assignments(problem))
    k = max(len(a) for a in every)
    full = [a for a in every if len(a) == k]
    if problem.policy.mode == "max_housed":
        return k, max(total(problem, a) for a in full), None
    housed_sets = {frozenset(a) for a in full}
    ranked = sorted(problem.households, key=lambda h: (-h.urgency, h.registered_on, h.id))
    chosen: set[str] = set()
    for h in ranked:
        if any(chosen | {h.id} <= s for s in housed_sets):
            chosen.add(h.id)
    s = frozenset(chosen)
    return k, max(total(problem, a) for a in full if frozenset(a) == s), s


def max_matching_size(problem: Problem) -> int:
    """Largest matching ignoring the cap (Kuhn's augmenting paths)."""
    pairs = eligible(problem)
    owner: dict[str, str] = {}

    def augment(h: str, seen: set[str]) -> bool:
        for u in problem.units:
            if (h, u.id) in pairs and u.id not in seen:
                seen.add(u.id)
                if u.id not in owner or augment(owner[u.id], seen):
                    owner[u.id] = h
                    return True
        return False

    return sum(1 for h in problem.households if augment(h.id, set()))


def swappable(problem: Problem, housed: set[str]) -> bool:
    """Whether some left-out household could replace a lower-ranked housed one (uncapped:
    some assignment houses housed - {low} + {high})."""
    ranked = sorted(problem.households, key=lambda h: (-h.urgency, h.registered_on, h.id))
    place = {h.id: i for i, h in enumerate(ranked)}
    feasible = {frozenset(a) for a in assignments(problem)}
    for high in set(place) - housed:
        for low in housed:
            if place[low] > place[high] and (housed - {low}) | {high} in feasible:
                return True
    return False
