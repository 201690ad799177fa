"""Bad instances are rejected with the contract's one line `PATH: message`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matching.problem import ProblemError, decode_problem

EXAMPLE = json.loads((Path(__file__).parent / "vectors" / "example.json").read_text())


def problem_with(**changes: Any) -> dict[str, Any]:
    """The contract's example with a few more households and units, then `changes` applied
    as {"dotted.path": value} (value DELETE removes the key)."""
    document = copy.deepcopy(EXAMPLE)
    for i in range(2, 9):
        document["units"].append(dict(document["units"][0], id=f"u{i}"))
    for i in range(2, 5):
        document["households"].append(dict(document["households"][0], id=f"h{i}"))
    for path, value in changes.items():
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        key: Any = int(last) if isinstance(target, list) else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return document


DELETE = object()


def error_line(document: dict[str, Any] | bytes) -> str:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    with pytest.raises(ProblemError) as caught:
        decode_problem(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"households.3.adults": 0}, "households[3].adults: expected int >= 1"),
        ({"households.3.adults": 21}, "households[3].adults: expected int <= 20"),
        ({"households.1.children": -1}, "households[1].children: expected int >= 0"),
        ({"policy.wieghts": {}}, "policy.wieghts: unknown field"),
        ({"units.2.colour": "red"}, "units[2].colour: unknown field"),
        ({"units.7.id": "u1"}, 'units[7].id: duplicate "u1"'),
        ({"households.2.id": "h1"}, 'households[2].id: duplicate "h1"'),
        ({"buildings.0.id": ""}, "buildings[0].id: expected string of length >= 1"),
        ({"units.0.id": "x" * 101}, "units[0].id: expected string of length <= 100"),
        ({"units.4.rent_cents": "520"}, "units[4].rent_cents: expected int, got string"),
        ({"units.4.rent_cents": 520.0}, "units[4].rent_cents: expected int, got number"),
        (
            {"units.4.charges_cents": 10**9 + 1},
            "units[4].charges_cents: expected int <= 1000000000",
        ),
        ({"units.4.step_free": 1}, "units[4].step_free: expected bool, got int"),
        ({"units.3.lat": 90.5}, "units[3].lat: expected number <= 90.0"),
        ({"units.3.lon": -180.5}, "units[3].lon: expected number >= -180.0"),
        ({"units.5.min_occupants": 4}, "units[5].min_occupants: greater than max_occupants (3)"),
        (
            {"units.1.available_from": "2026-02-30"},
            "units[1].available_from: expected a date YYYY-MM-DD",
        ),
        (
            {"units.1.available_from": "2200-01-01"},
            "units[1].available_from: expected a date between 1900-01-01 and 2199-12-31",
        ),
        (
            {"households.2.registered_on": "1899-12-31"},
            "households[2].registered_on: expected a date between 1900-01-01 and 2199-12-31",
        ),
        ({"round_date": "01/12/2026"}, "round_date: expected a date YYYY-MM-DD"),
        ({"round_date": DELETE}, "round_date: missing required field"),
        ({"households.0.urgency": DELETE}, "households[0].urgency: missing required field"),
        ({"policy.mode": "fair"}, "policy.mode: invalid enum value 'fair'"),
        ({"policy.affordability_ratio": 0}, "policy.affordability_ratio: expected number > 0.0"),
        ({"policy.affordability_ratio": 1.5}, "policy.affordability_ratio: expected number <= 1.0"),
        ({"policy.weights.km": 1001}, "policy.weights.km: expected int <= 1000"),
        (
            {"policy.max_high_support_per_building": -1},
            "policy.max_high_support_per_building: expected int >= 0",
        ),
        (
            {"households.1.max_distance_km": 0},
            "households[1].max_distance_km: expected number > 0.0",
        ),
        (
            {"households.1.preferred_locations": [{"lat": 50, "lon": 4}] * 21},
            "households[1].preferred_locations: expected array of length <= 20",
        ),
        (
            {"households.1.preferred_locations": [{"lat": 50, "lon": 4, "alt": 0}]},
            "households[1].preferred_locations[0].alt: unknown field",
        ),
        (
            {"households.1.excluded_units": ["u1", 7]},
            "households[1].excluded_units[1]: expected string, got int",
        ),
        ({"buildings": {}}, "buildings: expected array, got object"),
    ],
)
def test_bad_value_is_reported_with_its_path(changes: dict[str, Any], line: str) -> None:
    assert error_line(problem_with(**changes)) == line


def test_text_that_is_not_json_is_rejected() -> None:
    assert error_line(b'{"round_date": ').startswith("$: not valid JSON")
    assert error_line(b"\xff\xfe").startswith("$: not valid JSON")


def test_a_document_that_is_not_an_object_is_rejected_at_the_root() -> None:
    assert error_line(b"[1, 2]") == "$: expected object, got array"


def test_the_first_problem_in_document_order_is_reported() -> None:
    document = problem_with(**{"households.1.adults": 0, "households.3.children": 99})
    assert error_line(document) == "households[1].adults: expected int >= 1"


def test_defaults_fill_absent_optional_fields() -> None:
    document = problem_with()
    del document["buildings"]
    del document["policy"]["mode"]
    for field in ("max_rent_cents", "max_distance_km", "excluded_units", "high_support"):
        del document["households"][0][field]
    problem = decode_problem(json.dumps(document).encode())
    assert problem.buildings == []
    assert problem.policy.mode == "max_housed"
    household = problem.households[0]
    assert (household.max_rent_cents, household.max_distance_km, household.high_support) == (
        None,
        None,
        False,
    )


def test_unknown_excluded_ids_and_unlisted_buildings_are_accepted() -> None:
    document = problem_with(
        **{"households.0.excluded_units": ["nowhere"], "units.0.building_id": "b9"}
    )
    assert decode_problem(json.dumps(document).encode()).units[0].building_id == "b9"
