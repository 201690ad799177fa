"""Scores of single pairs in a round, for people to read: the breakdown of a proposal, the next
best households for a unit, one pair checked for an override, and the smaller problem that a
re-run solves around the pairs a person approved. Pure: the rules are matching.eligibility's.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
import numpy as np
from msgspec import Struct

from matching.eligibility import eligible_pairs, exact_km, rule_failures
from matching.instance import RULES, build_instance
from matching.problem import Building, Household, Problem

ALTERNATIVES = 3
MAX_HIGH_SUPPORT = 1000  # the contract's range for high_support_households
Pair = tuple[str, str]  # (household_id, unit_id)


class Breakdown(Struct, frozen=True, kw_only=True):
    """score = urgency_term + waiting_term - km_penalty (ALLOCATION.md)."""

    score: int
    urgency_term: int
    waiting_term: int
    km_penalty: int
    distance_km: float


class PairCheck(Struct, frozen=True, kw_only=True):
    eligible: bool
    failed_rules: list[str]  # keys of matching.instance.RULES, in that order
    breakdown: Breakdown


class Alternative(Struct, frozen=True):
    household_id: str
    score: int
    distance_km: float


def terms(problem: Problem, household: Household) -> tuple[int, int]:
    """The household's own score terms: (w.urgency x urgency, w.waiting_day x days waiting)."""
    weights = problem.policy.weights
    days = max(0, (problem.round_date - household.registered_on).days)
    return weights.urgency * household.urgency, weights.waiting_day * days


def breakdown(problem: Problem, household_id: str, score: int, distance_km: float) -> Breakdown:
    """A solver's (or waitlist's) assignment split into the terms of its score."""
    household = _household(problem, household_id)
    urgency_term, waiting_term = terms(problem, household)
    return Breakdown(
        score=score,
        urgency_term=urgency_term,
        waiting_term=waiting_term,
        km_penalty=urgency_term + waiting_term - score,
        distance_km=distance_km,
    )


def check_pair(problem: Problem, household_id: str, unit_id: str) -> PairCheck:
    """Whether household may take unit under the round's rules, which rules fail, and the
    pair's score (the formula does not depend on eligibility)."""
    household = _household(problem, household_id)
    unit = next(u for u in problem.units if u.id == unit_id)
    single = msgspec.structs.replace(
        problem,
        units=[unit],
        households=[household],
        buildings=[b for b in problem.buildings if b.id == unit.building_id],
    )
    inst = build_instance(single)
    eligible = len(eligible_pairs(inst)) == 1
    failures = rule_failures(inst, np.array([0], np.intp))[0].tolist()
    failed = [] if eligible else [rule for rule, n in zip(RULES, failures, strict=True) if n]
    km = exact_km(inst, 0, 0)
    penalty = (problem.policy.weights.km * round(km * 1000)) // 1000
    urgency_term, waiting_term = terms(problem, household)
    return PairCheck(
        eligible=eligible,
        failed_rules=failed,
        breakdown=Breakdown(
            score=urgency_term + waiting_term - penalty,
            urgency_term=urgency_term,
            waiting_term=waiting_term,
            km_penalty=penalty,
            distance_km=round(km, 3),
        ),
    )


def alternatives(
    problem: Problem, assigned: dict[str, str], limit: int = ALTERNATIVES
) -> dict[str, list[Alternative]]:
    """For each assigned unit (unit_id -> household_id), up to ``limit`` other eligible
    households, best score first, ties by household id."""
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    household_index = {h: i for i, h in enumerate(inst.household_ids)}
    holder = np.full(inst.n_units, -1, np.intp)
    for u, unit_id in enumerate(inst.unit_ids):
        if unit_id in assigned:
            holder[u] = household_index[assigned[unit_id]]
    keep = np.flatnonzero((holder[pairs.unit] >= 0) & (pairs.household != holder[pairs.unit]))
    id_rank = np.empty(inst.n_households, np.int64)
    id_rank[
        np.array(sorted(range(inst.n_households), key=inst.household_ids.__getitem__), np.intp)
    ] = np.arange(inst.n_households)
    unit, household = pairs.unit[keep], pairs.household[keep]
    order = np.lexsort((id_rank[household], -pairs.score[keep], unit))
    found: dict[str, list[Alternative]] = {unit_id: [] for unit_id in assigned}
    for u, h, score, metres in zip(
        unit[order].tolist(),
        household[order].tolist(),
        pairs.score[keep][order].tolist(),
        pairs.metres[keep][order].tolist(),
        strict=True,
    ):
        chosen = found[inst.unit_ids[u]]
        if len(chosen) < limit:
            chosen.append(Alternative(inst.household_ids[h], score, metres / 1000))
    return found


def reduce_problem(problem: Problem, fixed: Iterable[Pair], rejected: Iterable[Pair]) -> Problem:
    """The problem a re-run solves: the fixed pairs' units and households are taken out (their
    high-support households still count against their building's cap), and every rejected
    pair is excluded."""
    fixed = list(fixed)
    fixed_households = {h for h, _u in fixed}
    fixed_units = {u for _h, u in fixed}
    excluded: dict[str, list[str]] = {}
    for h, u in rejected:
        excluded.setdefault(h, []).append(u)
    building_of = {u.id: u.building_id for u in problem.units}
    high_support = {h.id for h in problem.households if h.high_support}
    extra: dict[str, int] = {}
    for h, u in fixed:
        if h in high_support and u in building_of:
            extra[building_of[u]] = extra.get(building_of[u], 0) + 1
    buildings = [
        Building(b.id, min(MAX_HIGH_SUPPORT, b.high_support_households + extra.pop(b.id, 0)))
        for b in problem.buildings
    ]
    buildings += [Building(b, min(MAX_HIGH_SUPPORT, n)) for b, n in sorted(extra.items())]
    households = [
        msgspec.structs.replace(
            h, excluded_units=list(dict.fromkeys([*h.excluded_units, *excluded[h.id]]))
        )
        if h.id in excluded
        else h
        for h in problem.households
        if h.id not in fixed_households
    ]
    return msgspec.structs.replace(
        problem,
        buildings=buildings,
        units=[u for u in problem.units if u.id not in fixed_units],
        households=households,
    )


def _household(problem: Problem, household_id: str) -> Household:
    return next(h for h in problem.households if h.id == household_id)
