"""Who a round houses, by group: household size, disability or access need, displacement,
ETHOS group; for the solver's proposal and for the waitlist side by side. Pure.

Shares are percentages rounded once to one decimal, half up (exact Decimal maths), so the page,
the chart and the CSV show the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from msgspec import Struct

Dimension = Literal["all", "size", "disability", "displaced", "ethos"]
DIMENSIONS: tuple[Dimension, ...] = ("all", "size", "disability", "displaced", "ethos")
ETHOS_GROUPS = ("roofless", "houseless", "insecure", "inadequate")
UNKNOWN = "unknown"
LARGEST_SIZE_GROUP = 6  # households of six or more people form one group: "6+"


class FairnessHousehold(Struct, frozen=True, kw_only=True):
    household_id: str
    size: int
    disability_need: bool
    displaced: bool
    ethos_group: str | None  # one of ETHOS_GROUPS, or None when not recorded


class FairnessRow(Struct, frozen=True, kw_only=True):
    dimension: Dimension
    group: str  # "all"; sizes "1".."5", "6+"; "yes"/"no"; an ETHOS group or "unknown"
    households: int
    housed: int  # by the round's proposal
    housed_waitlist: int

    @property
    def share(self) -> Decimal | None:
        return share(self.housed, self.households)

    @property
    def share_waitlist(self) -> Decimal | None:
        return share(self.housed_waitlist, self.households)


def share(housed: int, households: int) -> Decimal | None:
    """housed / households as a percentage with one decimal, half up; None for an empty group."""
    if households == 0:
        return None
    return (Decimal(100 * housed) / Decimal(households)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def size_group(size: int) -> str:
    return f"{LARGEST_SIZE_GROUP}+" if size >= LARGEST_SIZE_GROUP else str(size)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


_GROUP_OF: dict[Dimension, Callable[[FairnessHousehold], str]] = {
    "all": lambda h: "all",
    "size": lambda h: size_group(h.size),
    "disability": lambda h: _yes_no(h.disability_need),
    "displaced": lambda h: _yes_no(h.displaced),
    "ethos": lambda h: h.ethos_group if h.ethos_group in ETHOS_GROUPS else UNKNOWN,
}


def _groups(dimension: Dimension, present: set[str]) -> list[str]:
    """The rows of a dimension, in reading order; yes/no rows are always both shown."""
    if dimension == "all":
        return ["all"]
    if dimension in ("disability", "displaced"):
        return ["yes", "no"]
    if dimension == "ethos":
        return [g for g in (*ETHOS_GROUPS, UNKNOWN) if g in present]
    numbered = sorted((g for g in present if g.isdigit()), key=int)
    return numbered + [g for g in present if not g.isdigit()]


def fairness_report(
    households: Collection[FairnessHousehold],
    housed: Collection[str],
    housed_waitlist: Collection[str],
) -> list[FairnessRow]:
    """One row per group and dimension: how many households, how many each method houses."""
    housed_set, waitlist_set = set(housed), set(housed_waitlist)
    rows: list[FairnessRow] = []
    for dimension in DIMENSIONS:
        group_of = _GROUP_OF[dimension]
        counts: dict[str, list[int]] = {}
        for household in households:
            tally = counts.setdefault(group_of(household), [0, 0, 0])
            tally[0] += 1
            tally[1] += household.household_id in housed_set
            tally[2] += household.household_id in waitlist_set
        for group in _groups(dimension, set(counts)):
            total, by_round, by_waitlist = counts.get(group, [0, 0, 0])
            rows.append(
                FairnessRow(
                    dimension=dimension,
                    group=group,
                    households=total,
                    housed=by_round,
                    housed_waitlist=by_waitlist,
                )
            )
    return rows
