"""d(h, u) is geopy's great_circle(...).km bit for bit wherever it decides something."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import distance
from matching.eligibility import eligible_pairs, exact_km
from matching.instance import build_instance
from matching.problem import Household, Location, Policy, Problem, Unit, Weights
from tests.matching import reference

latitudes = st.floats(-90, 90, allow_nan=False)
longitudes = st.floats(-180, 180, allow_nan=False)
EDGES = [-90.0, -89.999999, -45.0, 0.0, 1e-12, 45.0, 89.999999, 90.0]
EDGE_LONS = [-180.0, -179.999999, -90.0, 0.0, 90.0, 179.999999, 180.0]


@given(latitudes, longitudes, latitudes, longitudes)
@settings(max_examples=500)
def test_replica_equals_geopy_bit_for_bit(a: float, b: float, c: float, d: float) -> None:
    assert distance.great_circle_km(a, b, c, d) == great_circle((a, b), (c, d)).km


def test_replica_equals_geopy_on_poles_antimeridian_and_antipodes() -> None:
    for lat1 in EDGES:
        for lon1 in EDGE_LONS:
            for lat2 in (*EDGES, -lat1):
                for lon2 in (*EDGE_LONS, lon1 - 180 if lon1 > 0 else lon1 + 180):
                    expected = great_circle((lat1, lon1), (lat2, lon2)).km
                    assert distance.great_circle_km(lat1, lon1, lat2, lon2) == expected


def one_household(
    locations: list[tuple[float, float]], max_km: float | None, units: list[tuple[float, float]]
) -> Problem:
    return Problem(
        round_date=dt.date(2026, 12, 1),
        policy=Policy(weights=Weights(urgency=1, waiting_day=0, km=1000)),
        units=[
            Unit(
                id=f"u{i}",
                building_id="b",
                min_occupants=1,
                max_occupants=4,
                rent_cents=1,
                charges_cents=0,
                wheelchair_accessible=True,
                step_free=True,
                lat=lat,
                lon=lon,
            )
            for i, (lat, lon) in enumerate(units)
        ],
        households=[
            Household(
                id="h",
                adults=1,
                children=0,
                monthly_income_cents=1,
                wheelchair=False,
                step_free=False,
                preferred_locations=[Location(lat, lon) for lat, lon in locations],
                max_distance_km=max_km,
                urgency=0,
                registered_on=dt.date(2026, 1, 1),
            )
        ],
    )


def metres_by_unit(problem: Problem) -> dict[str, int]:
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    return {inst.unit_ids[u]: int(m) for u, m in zip(pairs.unit, pairs.metres, strict=True)}


def test_a_unit_exactly_at_max_distance_is_in_reach_and_one_ulp_less_is_not() -> None:
    here, there = (50.85, 4.36), (50.8466, 4.3528)
    exact = great_circle(here, there).km
    assert metres_by_unit(one_household([here], exact, [there])) == {"u0": round(exact * 1000)}
    below = math.nextafter(exact, 0.0)
    assert metres_by_unit(one_household([here], below, [there])) == {}


def test_metres_round_half_to_even_on_the_exact_distance() -> None:
    """Pairs whose d * 1000 lies within 1e-5 of x.5: found by brute force, then compared."""
    rng = np.random.default_rng(3)
    lat1, lon1 = rng.uniform(50.7, 51.0, 400_000), rng.uniform(4.2, 4.5, 400_000)
    lat2, lon2 = rng.uniform(50.7, 51.0, 400_000), rng.uniform(4.2, 4.5, 400_000)
    c2 = distance.chord_sq(distance.unit_vectors(lat1, lon1), distance.unit_vectors(lat2, lon2))
    close = np.flatnonzero(distance.near_half_metre(distance.chord_sq_to_km(c2)))
    assert len(close) >= 3
    for i in close[:10].tolist():
        here, there = (float(lat1[i]), float(lon1[i])), (float(lat2[i]), float(lon2[i]))
        expected = round(great_circle(here, there).km * 1000)
        assert metres_by_unit(one_household([here], None, [there])) == {"u0": expected}


def test_nearest_of_several_locations_and_far_points_match_geopy() -> None:
    locations = [(50.85, 4.36), (-50.85, -175.64), (0.0, 180.0)]
    units = [(50.86, 4.37), (-50.8, 4.36), (0.0, -180.0), (-50.85, -175.0), (89.9, 0.0)]
    problem = one_household(locations, None, units)
    expected = {
        f"u{i}": round(min(great_circle(p, u).km for p in locations) * 1000)
        for i, u in enumerate(units)
    }
    assert metres_by_unit(problem) == expected
    inst = build_instance(problem)
    for i, u in enumerate(units):
        assert exact_km(inst, 0, i) == min(great_circle(p, u).km for p in locations)


def test_generated_instance_matches_the_reference_pair_by_pair() -> None:
    import msgspec

    from matching.problem import decode_problem
    from tests.matching.instances import generate

    problem = decode_problem(msgspec.json.encode(generate(250, 60, seed=11)))
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    ours = {
        (inst.household_ids[h], inst.unit_ids[u]): s
        for h, u, s in zip(
            pairs.household.tolist(), pairs.unit.tolist(), pairs.score.tolist(), strict=True
        )
    }
    assert ours == reference.eligible(problem)
    assert len(ours) > 200
