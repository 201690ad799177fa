"""The allocation problem and its result, as msgspec Structs (ALLOCATION.md is the contract).

Decoding is strict: unknown fields, wrong types and out-of-range values are rejected by
msgspec itself; what a type cannot say (date range, min <= max, unique ids) is checked by
`validate`. Every rejection becomes one `ProblemError` whose text is the contract's
`PATH: message` line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

Id = Annotated[str, Meta(min_length=1, max_length=100)]
Count1000 = Annotated[int, Meta(ge=0, le=1000)]
Cents = Annotated[int, Meta(ge=0, le=1_000_000_000)]
Occupants = Annotated[int, Meta(ge=1, le=20)]
Mode = Literal["max_housed", "strict_priority"]
Status = Literal["optimal", "feasible"]

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


class Location(Struct, forbid_unknown_fields=True, frozen=True):
    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]


class Weights(Struct, forbid_unknown_fields=True, frozen=True):
    urgency: Count1000
    waiting_day: Count1000
    km: Count1000


class Policy(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    mode: Mode = "max_housed"
    affordability_ratio: Annotated[float, Meta(gt=0, le=1)] | None = None
    weights: Weights
    max_high_support_per_building: Count1000 | None = None


class Building(Struct, forbid_unknown_fields=True, frozen=True):
    id: Id
    high_support_households: Count1000


class Unit(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: Id
    building_id: Id
    min_occupants: Occupants
    max_occupants: Occupants
    rent_cents: Cents
    charges_cents: Cents
    wheelchair_accessible: bool
    step_free: bool
    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]
    available_from: dt.date | None = None


class Household(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: Id
    adults: Occupants
    children: Annotated[int, Meta(ge=0, le=20)]
    monthly_income_cents: Cents
    max_rent_cents: Cents | None = None
    wheelchair: bool
    step_free: bool
    preferred_locations: Annotated[list[Location], Meta(max_length=20)] = []
    max_distance_km: Annotated[float, Meta(gt=0, le=1000)] | None = None
    urgency: Count1000
    registered_on: dt.date
    excluded_units: list[Id] = []
    high_support: bool = False


class Problem(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    round_date: dt.date
    policy: Policy
    buildings: list[Building] = []
    units: list[Unit]
    households: list[Household]


# ---- result -------------------------------------------------------------------------------


class RuleCounts(Struct, frozen=True):
    """For a household eligible for no unit: how many units fail each rule."""

    occupancy: int
    wheelchair: int
    step_free: int
    affordability: int
    max_rent: int
    distance: int
    excluded: int
    not_available: int


class GivenTo(Struct, frozen=True):
    unit_id: str
    household_id: str | None


class Assignment(Struct, frozen=True):
    household_id: str
    unit_id: str
    score: int
    distance_km: float


class Unassigned(Struct, frozen=True, omit_defaults=True):
    household_id: str
    reason: Literal["no_eligible_unit", "outcompeted"]
    rules: RuleCounts | None = None
    given_to: list[GivenTo] | None = None


class Vacant(Struct, frozen=True):
    unit_id: str
    reason: Literal["no_eligible_household", "outcompeted"]


class Stats(Struct, frozen=True):
    households: int
    units: int
    eligible_pairs: int
    seconds: float
    solver: str


class Result(Struct, frozen=True):
    mode: Mode
    status: Status
    housed: int
    total_score: int
    bound: int | None
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    vacant: list[Vacant]
    stats: Stats


# ---- decoding -----------------------------------------------------------------------------


class ProblemError(ValueError):
    """Bad input, worded as the contract's one line `PATH: message`."""


_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<field>.*)`$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<field>.*)`$", re.DOTALL)
_TYPE_NAMES = {"`float`": "number", "`int`": "int", "`str`": "string", "`bool`": "bool"}


def decode_problem(data: bytes) -> Problem:
    """Decode and validate one instance, or raise ProblemError."""
    try:
        problem = msgspec.json.decode(data, type=Problem)
    except msgspec.ValidationError as exc:
        raise ProblemError(_contract_line(str(exc))) from None
    except msgspec.DecodeError as exc:
        raise ProblemError(f"$: not valid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise ProblemError("$: not valid JSON: not UTF-8 text") from None
    validate(problem)
    return problem


def _contract_line(text: str) -> str:
    """msgspec's 'Expected `int` >= 1 - at `$.households[3].adults`' -> contract wording."""
    match = _AT.match(text)
    assert match is not None  # the pattern matches every string
    message, path = match["message"], (match["path"] or "").lstrip(".")
    for pattern, wording in ((_UNKNOWN, "unknown field"), (_MISSING, "missing required field")):
        field = pattern.match(message)
        if field:
            return f"{_join(path, field['field'])}: {wording}"
    if message.startswith("Invalid RFC3339 encoded date"):
        return f"{path or '$'}: expected a date YYYY-MM-DD"
    if message.startswith("Invalid enum value"):
        return f"{path or '$'}: {message[0].lower()}{message[1:]}"
    for name, wording in _TYPE_NAMES.items():
        message = message.replace(name, wording)
    message = message.replace("`", "")
    return f"{path or '$'}: {message[0].lower()}{message[1:]}"


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def validate(problem: Problem) -> None:
    """What the types cannot say: dates in range, min <= max, unique ids."""
    _check_date("round_date", problem.round_date)
    _check_unique("buildings", [b.id for b in problem.buildings])
    for i, unit in enumerate(problem.units):
        if unit.min_occupants > unit.max_occupants:
            raise ProblemError(
                f"units[{i}].min_occupants: greater than max_occupants ({unit.max_occupants})"
            )
        if unit.available_from is not None:
            _check_date(f"units[{i}].available_from", unit.available_from)
    _check_unique("units", [u.id for u in problem.units])
    for i, household in enumerate(problem.households):
        _check_date(f"households[{i}].registered_on", household.registered_on)
    _check_unique("households", [h.id for h in problem.households])


def _check_date(path: str, value: dt.date) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ProblemError(f"{path}: expected a date between 1900-01-01 and 2199-12-31")


def _check_unique(name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise ProblemError(f'{name}[{i}].id: duplicate "{ident}"')
        seen.add(ident)


def encode_result(result: Result) -> bytes:
    """Compact JSON, fields in declaration order: the same result gives the same bytes."""
    return msgspec.json.encode(result)
