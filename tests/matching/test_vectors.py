"""The shared test vectors (tests/matching/vectors, copied from the independent
implementation) reproduce exactly, and the contract's worked example byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from matching.problem import decode_problem, encode_result
from matching.solver import solve

VECTORS = Path(__file__).parent / "vectors"
NAMES = sorted(
    p.name.removesuffix(".json") for p in VECTORS.glob("*.json") if ".expected" not in p.name
)


def test_every_vector_is_found() -> None:
    assert {"example", "small-max-housed", "capped-strict-priority"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_vector_reproduces_housed_total_score_and_housed_set(name: str) -> None:
    expected = json.loads((VECTORS / f"{name}.expected.json").read_text())
    result = solve(decode_problem((VECTORS / f"{name}.json").read_bytes()))
    assert result.status == "optimal"
    assert result.housed == expected["housed"]
    assert result.total_score == expected["total_score"]
    assert result.bound == expected["total_score"]
    if "housed_households" in expected:
        housed = sorted(a.household_id for a in result.assignments)
        assert housed == expected["housed_households"]


def test_contract_example_scores_1038_at_631_metres() -> None:
    result = solve(decode_problem((VECTORS / "example.json").read_bytes()))
    document = msgspec.json.decode(encode_result(result))
    document["stats"].pop("seconds")
    assert document == {
        "mode": "max_housed",
        "status": "optimal",
        "housed": 1,
        "total_score": 1038,
        "bound": 1038,
        "assignments": [
            {"household_id": "h1", "unit_id": "u1", "score": 1038, "distance_km": 0.631}
        ],
        "unassigned": [],
        "vacant": [],
        "stats": {
            "households": 1,
            "units": 1,
            "eligible_pairs": 1,
            "solver": "ortools min_cost_flow",
        },
    }


def test_contract_example_output_bytes_have_the_contract_field_order() -> None:
    result = solve(decode_problem((VECTORS / "example.json").read_bytes()))
    text = encode_result(result).decode()
    prefix = (
        '{"mode":"max_housed","status":"optimal","housed":1,"total_score":1038,"bound":1038,'
        '"assignments":[{"household_id":"h1","unit_id":"u1","score":1038,"distance_km":0.631}],'
        '"unassigned":[],"vacant":[],"stats":{"households":1,"units":1,"eligible_pairs":1,'
        '"seconds":'
    )
    assert text.startswith(prefix)
    assert text.endswith(',"solver":"ortools min_cost_flow"}}')


def test_contract_example_with_a_second_household_and_unit_explains_both() -> None:
    document = json.loads((VECTORS / "example.json").read_text())
    h2 = dict(document["households"][0], id="h2", adults=6, monthly_income_cents=100_000)
    u2 = dict(document["units"][0], id="u2", available_from=None, max_occupants=1)
    document["households"].append(h2)
    document["units"].append(u2)
    result = solve(decode_problem(json.dumps(document).encode()))
    assert [(a.household_id, a.unit_id, a.score, a.distance_km) for a in result.assignments] == [
        ("h1", "u1", 1038, 0.631)
    ]
    (left_out,) = result.unassigned
    assert left_out.household_id == "h2"
    assert left_out.reason == "no_eligible_unit"
    assert left_out.rules is not None
    assert msgspec.structs.asdict(left_out.rules) == {
        "occupancy": 2,
        "wheelchair": 0,
        "step_free": 0,
        "affordability": 2,
        "max_rent": 0,
        "distance": 0,
        "excluded": 0,
        "not_available": 0,
    }
    assert [(v.unit_id, v.reason) for v in result.vacant] == [("u2", "no_eligible_household")]
