"""Vectorised eligibility and its explanations against the rules read one pair at a time."""

from __future__ import annotations

import msgspec
import numpy as np
import pytest

from matching import eligibility
from matching.eligibility import eligible_pairs, rule_failures
from matching.instance import RULES, build_instance
from matching.problem import Problem, decode_problem
from tests.matching import reference
from tests.matching.instances import generate


def generated(households: int, units: int, seed: int) -> Problem:
    return decode_problem(msgspec.json.encode(generate(households, units, seed=seed)))


@pytest.mark.parametrize("seed", [4, 5])
def test_rule_counts_match_the_rules_pair_by_pair(seed: int) -> None:
    problem = generated(120, 50, seed)
    inst = build_instance(problem)
    counts = rule_failures(inst, np.arange(inst.n_households))
    for h, household in enumerate(problem.households):
        expected = dict.fromkeys(RULES, 0)
        for unit in problem.units:
            for rule in reference.failed_rules(problem, household, unit):
                expected[rule] += 1
        assert dict(zip(RULES, counts[h].tolist(), strict=True)) == expected


def test_small_chunks_give_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = generated(300, 70, 6)
    whole = eligible_pairs(build_instance(problem))
    monkeypatch.setattr(eligibility, "PAIRS_PER_CHUNK", 500)
    chunked = eligible_pairs(build_instance(problem))
    for field in ("household", "unit", "metres", "score"):
        assert np.array_equal(getattr(whole, field), getattr(chunked, field))


def test_about_four_percent_of_generated_pairs_are_eligible() -> None:
    inst = build_instance(generated(2000, 400, 1))
    share = len(eligible_pairs(inst)) / (inst.n_households * inst.n_units)
    assert 0.02 < share < 0.06


def test_households_without_a_location_are_at_distance_zero() -> None:
    problem = generated(200, 40, 8)
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    nowhere = inst.location_count[pairs.household] == 0
    assert nowhere.any()
    assert not pairs.metres[nowhere].any()
