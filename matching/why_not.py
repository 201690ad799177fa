""" "Why not me?": a household's outcome in a round, in plain words addressed to the household.

Built from the household's own RoundHousehold row (its outcome, the count of the round's flats
failing each rule, the flats it fitted and who got them) in the reader's language. It never
names another household: of the flats that went to others it says only how many there were
and why others came first. No database access here; ``fitted_flats`` re-checks the round's
stored problem for this household alone (the row keeps at most three of its flats).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from matching.eligibility import eligible_pairs
from matching.instance import RULES, build_instance
from matching.problem import Problem
from matching.rounds import Outcome, RoundHousehold, RoundMode
from sra.i18n import gettext as _
from sra.i18n import ngettext

# One sentence per rule of ALLOCATION.md, in its order; literal ngettext calls for extraction.
RULE_SENTENCES: dict[str, Callable[[int], str]] = {
    "occupancy": lambda n: ngettext(
        "%(num)d flat was not the right size for your household (too small or too big).",
        "%(num)d flats were not the right size for your household (too small or too big).",
        n,
    ),
    "wheelchair": lambda n: ngettext(
        "%(num)d flat is not accessible with a wheelchair.",
        "%(num)d flats are not accessible with a wheelchair.",
        n,
    ),
    "step_free": lambda n: ngettext(
        "%(num)d flat cannot be reached without steps.",
        "%(num)d flats cannot be reached without steps.",
        n,
    ),
    "affordability": lambda n: ngettext(
        "%(num)d flat would cost too large a part of your household's income.",
        "%(num)d flats would cost too large a part of your household's income.",
        n,
    ),
    "max_rent": lambda n: ngettext(
        "%(num)d flat costs more than your maximum rent.",
        "%(num)d flats cost more than your maximum rent.",
        n,
    ),
    "distance": lambda n: ngettext(
        "%(num)d flat is too far from the places you chose.",
        "%(num)d flats are too far from the places you chose.",
        n,
    ),
    "excluded": lambda n: ngettext(
        "%(num)d flat is one you declined before.",
        "%(num)d flats are ones you declined before.",
        n,
    ),
    "not_available": lambda n: ngettext(
        "%(num)d flat was not yet available on the day of the round.",
        "%(num)d flats were not yet available on the day of the round.",
        n,
    ),
}
assert tuple(RULE_SENTENCES) == RULES  # a new rule of the solver needs its sentence here


@dataclass(frozen=True)
class WhyNot:
    proposed: bool
    headline: str
    reasons: list[str]


def why_not(row: RoundHousehold, *, mode: RoundMode, fitted: int | None = None) -> WhyNot:
    """The household's outcome in the row's round; ``fitted`` is how many of the round's flats
    fitted it (``fitted_flats``), None when unknown."""
    if row.outcome is Outcome.PROPOSED:
        return WhyNot(
            proposed=True,
            headline=_("The round proposed a flat for your household."),
            reasons=[
                _(
                    "An officer checks every proposal before an offer is sent. If it is "
                    "approved, the offer appears under My offers and you receive an e-mail."
                )
            ],
        )
    if row.outcome is Outcome.NO_ELIGIBLE_UNIT:
        return WhyNot(
            proposed=False,
            headline=_("No flat in this round fitted your household."),
            reasons=rule_reasons(row.rules or {}),
        )
    if row.outcome is Outcome.OUTCOMPETED:
        return WhyNot(
            proposed=False,
            headline=_("Other households came before yours for the flats that fitted it."),
            reasons=outcompeted_reasons(row.given_to or [], mode=mode, fitted=fitted),
        )
    return WhyNot(
        proposed=False, headline=_("This round has no result for your household."), reasons=[]
    )


def rule_reasons(rules: dict[str, int]) -> list[str]:
    """One sentence per rule that some flats failed, with how many flats failed it."""
    counted = [(rule, int(rules.get(rule) or 0)) for rule in RULES]
    reasons = [RULE_SENTENCES[rule](n) % {"num": n} for rule, n in counted if n > 0]
    if len(reasons) > 1:
        reasons.append(_("A flat can fail more than one of these rules."))
    return reasons


def outcompeted_reasons(
    given_to: list[dict[str, Any]], *, mode: RoundMode, fitted: int | None
) -> list[str]:
    """How many flats fitted and why others came first; the other households stay unnamed."""
    reasons = []
    if fitted:
        reasons.append(
            ngettext(
                "%(num)d flat in this round fitted your household, but it went to another "
                "household.",
                "%(num)d flats in this round fitted your household, but they went to other "
                "households.",
                fitted,
            )
            % {"num": fitted}
        )
    if mode is RoundMode.STRICT_PRIORITY:
        reasons.append(
            _(
                "In this round flats go first to households with more priority points, then to "
                "households that have been waiting longer."
            )
        )
    else:
        reasons.append(
            _(
                "This round houses as many households as it can, and gives each flat to a "
                "household with more priority points or a longer wait first."
            )
        )
    if any(entry.get("household_id") is None for entry in given_to):
        reasons.append(
            _(
                "Some flats that fitted stayed empty: the agency limits how many households "
                "with intensive support live in one building."
            )
        )
    return reasons


def fitted_flats(problem: dict[str, Any] | None, household_id: UUID) -> int | None:
    """How many of the round's flats the household was eligible for, from the problem the round
    stored; None when the round has no stored problem or the household is not in it."""
    if problem is None:
        return None
    key = str(household_id)
    own = [h for h in problem.get("households", []) if h.get("id") == key]
    if not own:
        return None
    alone = msgspec.convert({**problem, "households": own}, Problem)
    return len(eligible_pairs(build_instance(alone)))
