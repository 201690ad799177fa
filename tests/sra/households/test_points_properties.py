"""Invariants of the points scheme for any scheme that passes validation and any household:
points never negative, worse need never fewer points, urgency within 0..1000, and the
register ordered by urgency then registration date."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from types import SimpleNamespace

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from sra.households.facts import ETHOS_CATEGORIES, ETHOS_SEVERITY, HouseholdFacts
from sra.households.points import (
    FLAT_RULES,
    EthosPoints,
    IncomeBand,
    SchemeRules,
    register_order,
    score,
    validate,
)

points = st.integers(min_value=0, max_value=1000)


@st.composite
def valid_rules(draw: st.DrawFn) -> SchemeRules:
    """Any scheme validate() accepts: ascending limits, points not rising with income,
    ETHOS points not falling with severity."""
    limits = sorted(draw(st.sets(st.integers(1, 1000), max_size=10)))
    band_points = sorted(draw(st.lists(points, min_size=len(limits), max_size=len(limits))))
    ethos = sorted(draw(st.lists(points, min_size=4, max_size=4)), reverse=True)
    flat = {name: draw(points) for name in FLAT_RULES}
    return SchemeRules(
        reference_income_cents=draw(st.integers(1, 10**8)),
        first_adult_percent=draw(st.integers(1, 1000)),
        other_adult_percent=draw(st.integers(0, 1000)),
        child_percent=draw(st.integers(0, 1000)),
        income_bands=tuple(
            IncomeBand(limit, p) for limit, p in zip(limits, reversed(band_points), strict=True)
        ),
        ethos_points=EthosPoints(
            **dict(zip(("roofless", "houseless", "insecure", "inadequate"), ethos, strict=True))
        ),
        rent_burden_percent=draw(st.integers(1, 100)),
        per_child_points=draw(points),
        max_children_counted=draw(st.integers(0, 20)),
        **flat,
    )


households = st.builds(
    HouseholdFacts,
    adults=st.integers(0, 6),
    children=st.integers(0, 12),
    monthly_income_cents=st.integers(0, 10**7),
    ethos_category=st.none() | st.integers(1, 13),
    displaced=st.booleans(),
    eviction_notice=st.booleans(),
    current_rent_cents=st.none() | st.integers(0, 10**6),
    disability=st.booleans(),
    local_tie=st.booleans(),
)


def _severity(category: int | None) -> int:
    """0 for no ETHOS situation, 4 for roofless."""
    if category is None:
        return 0
    return len(ETHOS_SEVERITY) - ETHOS_SEVERITY.index(ETHOS_CATEGORIES[category])


@st.composite
def worse_pairs(draw: st.DrawFn) -> tuple[HouseholdFacts, HouseholdFacts]:
    """A household and one in strictly worse need with the same income and adults: every
    situation of the first and perhaps more, an ETHOS group at least as severe, more
    children, a higher rent."""
    base = draw(households)
    categories = [
        c
        for c in [None, *ETHOS_CATEGORIES]
        if _severity(c) >= _severity(base.ethos_category)
        and (c == 12 or not base.unfit_home)
        and (c == 13 or not base.overcrowded)
    ]
    worse = msgspec.structs.replace(
        base,
        children=base.children + draw(st.integers(0, 5)),
        ethos_category=draw(st.sampled_from(categories)),
        displaced=base.displaced or draw(st.booleans()),
        eviction_notice=base.threatened_with_eviction or draw(st.booleans()),
        current_rent_cents=draw(st.integers(base.current_rent_cents or 0, 2 * 10**6))
        if base.current_rent_cents is not None or draw(st.booleans())
        else None,
        disability=base.disability or draw(st.booleans()),
        local_tie=base.local_tie or draw(st.booleans()),
    )
    assert worse.threatened_with_eviction >= base.threatened_with_eviction
    return base, worse


@given(valid_rules())
def test_the_generated_schemes_are_valid(rules: SchemeRules) -> None:
    assert validate(rules) == []


@given(valid_rules(), households)
def test_points_are_never_negative_and_urgency_stays_within_0_and_1000(
    rules: SchemeRules, facts: HouseholdFacts
) -> None:
    result = score(facts, rules)

    assert all(line.points > 0 for line in result.lines)
    assert 0 <= result.raw_total <= result.max_total
    assert 0 <= result.urgency <= 1000
    assert result.raw_total == sum(line.points for line in result.lines)


@given(valid_rules(), worse_pairs())
def test_a_household_in_worse_need_never_gets_fewer_points_under_the_same_income(
    rules: SchemeRules, pair: tuple[HouseholdFacts, HouseholdFacts]
) -> None:
    base, worse = pair

    assert score(worse, rules).raw_total >= score(base, rules).raw_total
    assert score(worse, rules).urgency >= score(base, rules).urgency


@given(valid_rules(), households, st.integers(0, 10**7))
def test_a_lower_income_never_gets_fewer_points(
    rules: SchemeRules, facts: HouseholdFacts, less: int
) -> None:
    poorer = msgspec.structs.replace(
        facts, monthly_income_cents=max(0, facts.monthly_income_cents - less)
    )

    assert score(poorer, rules).raw_total >= score(facts, rules).raw_total


@given(valid_rules(), st.sampled_from([*FLAT_RULES, "per_child_points"]), st.integers(-1000, -1))
def test_validate_refuses_negative_points_in_any_rule(
    rules: SchemeRules, name: str, negative: int
) -> None:
    broken = msgspec.structs.replace(rules, **{name: negative})

    assert (name, "Points cannot be negative.") in validate(broken)


registrations = st.lists(
    st.builds(
        SimpleNamespace,
        urgency=st.integers(0, 1000),
        registered_on=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
        reference=st.text("H0123456789-", min_size=1, max_size=8),
    ),
    max_size=30,
)


@given(registrations)
def test_the_register_is_ordered_by_urgency_then_registration_date(
    entries: list[SimpleNamespace],
) -> None:
    ordered = sorted(entries, key=register_order)

    for first, second in pairwise(ordered):
        assert first.urgency >= second.urgency
        if first.urgency == second.urgency:
            assert first.registered_on <= second.registered_on
