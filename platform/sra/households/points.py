"""The priority points scheme, as pure rules: facts in, points with their reasons out.

An agency publishes its scheme (DOMAIN.md: allocation rules are public and explained). Each
rule gives points for one verified fact; the total is scaled to 0..1000, the allocation
solver's ``urgency``. Time on the register is not a rule here: the round's ``waiting_day``
weight counts it. No database and no web: the store and the pages call :func:`score`.

Income is compared with the reference minimum income sized for the household by an
equivalence scale (OECD-modified by default: first adult 100 %, each further adult 50 %,
each child 30 %). All arithmetic is in integers, so a band limit is met exactly.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any, Protocol

import msgspec

from sra.households.facts import ETHOS_SEVERITY, EthosGroup, HouseholdFacts
from sra.i18n import gettext, lazy

URGENCY_SCALE = 1000
MAX_RULE_POINTS = 1000
MAX_PERCENT = 1000
MAX_BANDS = 10
MAX_CHILDREN = 20
MAX_REFERENCE_INCOME_CENTS = 10**8


class IncomeBand(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Incomes up to ``up_to_percent`` % of the household's reference income get ``points``."""

    up_to_percent: int
    points: int


class EthosPoints(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    roofless: int = 0
    houseless: int = 0
    insecure: int = 0
    inadequate: int = 0

    def of(self, group: EthosGroup) -> int:
        points: int = getattr(self, group.value)
        return points


class SchemeRules(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reference_income_cents: int
    first_adult_percent: int = 100
    other_adult_percent: int = 50
    child_percent: int = 30
    income_bands: tuple[IncomeBand, ...] = ()
    ethos_points: EthosPoints = EthosPoints()
    eviction_points: int = 0
    unfit_home_points: int = 0
    overcrowded_points: int = 0
    displaced_points: int = 0
    rent_burden_percent: int = 40
    rent_burden_points: int = 0
    per_child_points: int = 0
    max_children_counted: int = 0
    disability_points: int = 0
    local_tie_points: int = 0


# The additive rules that give a fixed number of points when their fact holds.
FLAT_RULES: tuple[str, ...] = (
    "eviction_points",
    "unfit_home_points",
    "overcrowded_points",
    "displaced_points",
    "rent_burden_points",
    "disability_points",
    "local_tie_points",
)


def default_rules() -> SchemeRules:
    """A starting scheme like those Flemish social rental agencies publish: income against
    the leefloon / revenu d'intégration, homelessness by ETHOS group, eviction, an unfit or
    overcrowded home, rent burden, children, disability and a tie with the area. The
    administrator sets the current reference income and the points."""
    return SchemeRules(
        reference_income_cents=130000,  # near the Belgian revenu d'intégration, one adult
        first_adult_percent=100,
        other_adult_percent=50,
        child_percent=30,
        income_bands=(
            IncomeBand(100, 20),
            IncomeBand(125, 15),
            IncomeBand(150, 10),
            IncomeBand(200, 5),
        ),
        ethos_points=EthosPoints(roofless=40, houseless=35, insecure=20, inadequate=10),
        eviction_points=20,
        unfit_home_points=15,
        overcrowded_points=15,
        displaced_points=20,
        rent_burden_percent=40,
        rent_burden_points=10,
        per_child_points=3,
        max_children_counted=4,
        disability_points=10,
        local_tie_points=5,
    )


class ScoreLine(msgspec.Struct, frozen=True):
    """One rule that gave points: ``reason`` is a msgid, formatted with ``params``."""

    code: str
    points: int
    reason: str
    params: dict[str, int] = {}


class Score(msgspec.Struct, frozen=True):
    lines: tuple[ScoreLine, ...]
    raw_total: int
    max_total: int
    urgency: int


ETHOS_REASON: dict[EthosGroup, str] = {
    EthosGroup.ROOFLESS: lazy("You have no roof over your head (ETHOS: roofless)."),
    EthosGroup.HOUSELESS: lazy(
        "You have no home of your own and stay in a shelter or temporary accommodation"
        " (ETHOS: houseless)."
    ),
    EthosGroup.INSECURE: lazy("Your housing is insecure (ETHOS: insecure housing)."),
    EthosGroup.INADEQUATE: lazy("Your housing is inadequate (ETHOS: inadequate housing)."),
}
INCOME_REASON = lazy(
    "Income is %(percent)s %% of the reference income for your household (band up to %(band)s %%)."
)
RENT_REASON = lazy("Your rent is %(percent)s %% of your income, more than %(limit)s %%.")
RENT_WITHOUT_INCOME_REASON = lazy("You pay rent without an income.")
CHILDREN_REASON = lazy("Children in the household: %(children)s (counted up to %(counted)s).")
FLAT_REASON: dict[str, str] = {
    "eviction_points": lazy("You are threatened with eviction."),
    "unfit_home_points": lazy("Your present home is unfit to live in."),
    "overcrowded_points": lazy("Your present home is extremely overcrowded."),
    "displaced_points": lazy("You were displaced by war."),
    "disability_points": lazy("A member of your household has a disability or uses a wheelchair."),
    "local_tie_points": lazy("You have a tie with the area: you live or work here."),
}


def explain(line: ScoreLine) -> str:
    """The line's reason in the current language, with its numbers."""
    return gettext(line.reason) % line.params


def rules_to_json(rules: SchemeRules) -> dict[str, Any]:
    """Plain JSON values (lists, not tuples), as a JSON column stores and returns them."""
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(rules))
    return data


def rules_from_json(data: dict[str, Any]) -> SchemeRules:
    return msgspec.convert(data, SchemeRules)


NEGATIVE = lazy("Points cannot be negative.")
TOO_MANY = lazy("A rule can give at most 1000 points.")


def validate(rules: SchemeRules) -> list[tuple[str, str]]:
    """Every reason the scheme cannot be used, as (field path, msgid); empty when it can."""
    errors: list[tuple[str, str]] = []
    if not 0 < rules.reference_income_cents <= MAX_REFERENCE_INCOME_CENTS:
        errors.append(("reference_income_cents", lazy("The reference income must be above zero.")))
    if not 0 < rules.first_adult_percent <= MAX_PERCENT:
        errors.append(
            ("first_adult_percent", lazy("The first adult's share is a percentage from 1 to 1000."))
        )
    for name in ("other_adult_percent", "child_percent"):
        if not 0 <= getattr(rules, name) <= MAX_PERCENT:
            errors.append((name, lazy("A share is a percentage from 0 to 1000.")))
    errors += _band_errors(rules.income_bands)
    errors += _ethos_errors(rules.ethos_points)
    for name in (*FLAT_RULES, "per_child_points"):
        errors += _points_errors(name, flat_points(rules, name))
    if not 1 <= rules.rent_burden_percent <= 100:
        errors.append(
            ("rent_burden_percent", lazy("The share of income is a percentage from 1 to 100."))
        )
    if not 0 <= rules.max_children_counted <= MAX_CHILDREN:
        errors.append(("max_children_counted", lazy("Count from 0 to 20 children at most.")))
    return errors


def _points_errors(path: str, points: int) -> list[tuple[str, str]]:
    if points < 0:
        return [(path, NEGATIVE)]
    if points > MAX_RULE_POINTS:
        return [(path, TOO_MANY)]
    return []


def _band_errors(bands: tuple[IncomeBand, ...]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if len(bands) > MAX_BANDS:
        errors.append(("income_bands", lazy("A scheme has at most 10 income bands.")))
    previous: IncomeBand | None = None
    for i, band in enumerate(bands):
        path = f"income_bands[{i}]"
        if not 0 < band.up_to_percent <= MAX_PERCENT:
            errors.append(
                (f"{path}.up_to_percent", lazy("A limit is a percentage from 1 to 1000."))
            )
        elif previous is not None and band.up_to_percent <= previous.up_to_percent:
            errors.append(
                (
                    f"{path}.up_to_percent",
                    lazy("Each band's limit must be above the limit of the band before it."),
                )
            )
        point_errors = _points_errors(f"{path}.points", band.points)
        if not point_errors and previous is not None and band.points > previous.points:
            point_errors = [
                (
                    f"{path}.points",
                    lazy(
                        "A higher income cannot give more points: give this band at most the"
                        " points of the band before it."
                    ),
                )
            ]
        errors += point_errors
        previous = band
    return errors


def _ethos_errors(ethos: EthosPoints) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for group in ETHOS_SEVERITY:
        errors += _points_errors(f"ethos_points.{group.value}", ethos.of(group))
    for severe, milder in pairwise(ETHOS_SEVERITY):
        if ethos.of(severe) < ethos.of(milder):
            errors.append(
                (
                    f"ethos_points.{severe.value}",
                    lazy(
                        "A more severe situation needs at least the points of a milder one"
                        " (roofless, then houseless, insecure, inadequate)."
                    ),
                )
            )
    return errors


def equivalence_percent(facts: HouseholdFacts, rules: SchemeRules) -> int:
    """The household's size on the equivalence scale, in % of one adult. A household always
    has a first member weighed as the first adult, even when nobody in it is 18 yet."""
    others = max(facts.adults, 1) - 1
    return (
        rules.first_adult_percent
        + others * rules.other_adult_percent
        + facts.children * rules.child_percent
    )


def _ratio_percent(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` in %, rounded half up, in integers."""
    return (2 * 100 * numerator + denominator) // (2 * denominator)


def _income_line(facts: HouseholdFacts, rules: SchemeRules) -> ScoreLine | None:
    # income / (reference x scale / 100) <= limit / 100, with both sides times 10,000.
    household_reference = rules.reference_income_cents * equivalence_percent(facts, rules)
    income = facts.monthly_income_cents * 100
    for band in rules.income_bands:
        if income * 100 <= band.up_to_percent * household_reference:
            if band.points <= 0:
                return None
            percent = _ratio_percent(income, household_reference)
            params = {"percent": percent, "band": band.up_to_percent}
            return ScoreLine("income_band", band.points, INCOME_REASON, params)
    return None


def _rent_line(facts: HouseholdFacts, rules: SchemeRules) -> ScoreLine | None:
    rent, income = facts.current_rent_cents or 0, facts.monthly_income_cents
    if rules.rent_burden_points <= 0 or rent * 100 <= rules.rent_burden_percent * income:
        return None  # a rent of 0 is no burden; any rent without income is above the share
    if income == 0:
        return ScoreLine("rent_burden", rules.rent_burden_points, RENT_WITHOUT_INCOME_REASON)
    params = {"percent": _ratio_percent(rent, income), "limit": rules.rent_burden_percent}
    return ScoreLine("rent_burden", rules.rent_burden_points, RENT_REASON, params)


def _children_line(facts: HouseholdFacts, rules: SchemeRules) -> ScoreLine | None:
    counted = min(facts.children, rules.max_children_counted)
    if counted <= 0 or rules.per_child_points <= 0:
        return None
    params = {"children": facts.children, "counted": rules.max_children_counted}
    return ScoreLine("children", counted * rules.per_child_points, CHILDREN_REASON, params)


def _situations(facts: HouseholdFacts) -> dict[str, bool]:
    return {
        "eviction_points": facts.threatened_with_eviction,
        "unfit_home_points": facts.unfit_home,
        "overcrowded_points": facts.overcrowded,
        "displaced_points": facts.displaced,
        "disability_points": facts.disability,
        "local_tie_points": facts.local_tie,
    }


def score(facts: HouseholdFacts, rules: SchemeRules) -> Score:
    """The points of a household under ``rules`` (which passed :func:`validate`): one line per
    rule that gives points, in the order the public page lists the rules."""
    lines: list[ScoreLine | None] = [_income_line(facts, rules)]
    group = facts.ethos_group
    if group is not None and rules.ethos_points.of(group) > 0:
        lines.append(
            ScoreLine(f"ethos_{group.value}", rules.ethos_points.of(group), ETHOS_REASON[group])
        )
    for name, holds in _situations(facts).items():
        if holds and flat_points(rules, name) > 0:
            code = name.removesuffix("_points")
            lines.append(ScoreLine(code, flat_points(rules, name), FLAT_REASON[name]))
    lines += [_rent_line(facts, rules), _children_line(facts, rules)]
    kept = tuple(line for line in lines if line is not None)
    raw = sum(line.points for line in kept)
    maximum = max_total(rules)
    return Score(kept, raw, maximum, urgency(raw, maximum))


def flat_points(rules: SchemeRules, name: str) -> int:
    points: int = getattr(rules, name)
    return points


def max_total(rules: SchemeRules) -> int:
    """The best band, the best ETHOS group and every other rule with the most children
    counted: a bound no household exceeds, so the scaled urgency stays within 0..1000."""
    best_band = max((band.points for band in rules.income_bands), default=0)
    best_ethos = max(rules.ethos_points.of(group) for group in ETHOS_SEVERITY)
    flat = sum(flat_points(rules, name) for name in FLAT_RULES)
    children = rules.per_child_points * rules.max_children_counted
    return max(0, best_band) + max(0, best_ethos) + flat + children


def urgency(raw_total: int, maximum: int) -> int:
    """``raw_total`` on the 0..1000 scale, rounded half up in integers (0 without a maximum)."""
    if maximum <= 0:
        return 0
    scaled = (2 * URGENCY_SCALE * raw_total + maximum) // (2 * maximum)
    return min(URGENCY_SCALE, max(0, scaled))


class Ranked(Protocol):
    @property
    def urgency(self) -> int: ...
    @property
    def registered_on(self) -> date: ...
    @property
    def reference(self) -> str: ...


def register_order(entry: Ranked) -> tuple[int, date, str]:
    """Sort key of the register: most urgent first; equal urgency, earliest registration
    first; the reference makes the order total."""
    return (-entry.urgency, entry.registered_on, entry.reference)
