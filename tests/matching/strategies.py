"""Hypothesis strategies: tiny allocation problems that exercise every rule and the cap."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from matching.problem import Building, Household, Location, Policy, Problem, Unit, Weights

ROUND_DATE = dt.date(2026, 12, 1)
# A few kilometres around Brussels: distances cross the households' limits.
lats = st.floats(50.80, 50.90, allow_nan=False)
lons = st.floats(4.30, 4.42, allow_nan=False)


@st.composite
def units(draw: st.DrawFn, index: int, buildings: int) -> Unit:
    low = draw(st.integers(1, 4))
    return Unit(
        id=f"u{index}",
        building_id=f"b{draw(st.integers(0, buildings))}",  # the last one is not listed
        min_occupants=low,
        max_occupants=draw(st.integers(low, 5)),
        rent_cents=draw(st.integers(30_000, 90_000)),
        charges_cents=draw(st.integers(0, 10_000)),
        wheelchair_accessible=draw(st.booleans()),
        step_free=draw(st.booleans()),
        lat=draw(lats),
        lon=draw(lons),
        available_from=draw(
            st.none() | st.dates(ROUND_DATE - dt.timedelta(30), ROUND_DATE + dt.timedelta(30))
        ),
    )


@st.composite
def households(draw: st.DrawFn, index: int, unit_ids: list[str]) -> Household:
    return Household(
        id=f"h{index}",
        adults=draw(st.integers(1, 3)),
        children=draw(st.integers(0, 2)),
        monthly_income_cents=draw(st.integers(100_000, 300_000)),
        max_rent_cents=draw(st.none() | st.integers(40_000, 100_000)),
        wheelchair=draw(st.booleans()),
        step_free=draw(st.booleans()),
        preferred_locations=draw(st.lists(st.builds(Location, lat=lats, lon=lons), max_size=2)),
        max_distance_km=draw(st.none() | st.floats(0.5, 8.0)),
        urgency=draw(st.sampled_from([0, 10, 20, 40])),
        registered_on=draw(st.dates(ROUND_DATE - dt.timedelta(900), ROUND_DATE + dt.timedelta(10))),
        excluded_units=draw(st.lists(st.sampled_from([*unit_ids, "gone"]), max_size=2))
        if unit_ids
        else [],
        high_support=draw(st.booleans()),
    )


@st.composite
def problems(
    draw: st.DrawFn,
    max_households: int = 5,
    max_units: int = 4,
    mode: str | None = None,
    capped: bool | None = None,
) -> Problem:
    n_buildings = draw(st.integers(1, 3))
    unit_list = [draw(units(i, n_buildings)) for i in range(draw(st.integers(0, max_units)))]
    ids = [u.id for u in unit_list]
    household_list = [draw(households(i, ids)) for i in range(draw(st.integers(0, max_households)))]
    with_cap = draw(st.booleans()) if capped is None else capped
    policy = Policy(
        mode=draw(st.sampled_from(["max_housed", "strict_priority"])) if mode is None else mode,  # type: ignore[arg-type]
        affordability_ratio=draw(st.none() | st.sampled_from([0.3, 0.35, 0.4, 0.5])),
        weights=Weights(
            urgency=draw(st.integers(0, 20)),
            waiting_day=draw(st.integers(0, 3)),
            km=draw(st.integers(0, 50)),
        ),
        max_high_support_per_building=draw(st.integers(0, 2)) if with_cap else None,
    )
    buildings = [
        Building(id=f"b{i}", high_support_households=draw(st.integers(0, 1)))
        for i in range(n_buildings)
    ]
    return Problem(
        round_date=ROUND_DATE,
        policy=policy,
        buildings=buildings,
        units=unit_list,
        households=household_list,
    )
