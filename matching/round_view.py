"""What the proposal page shows, in plain words: each flat with its proposed household and
the score's parts, the next best households, who was left out and why, vacant flats and why,
the waitlist side by side, and the fairness report. Built per request, in the reader's
language; the round's rows are not changed here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from matching.fairness import FairnessHousehold, FairnessRow, fairness_report
from matching.rounds import (
    AllocationRound,
    Decision,
    Outcome,
    Proposal,
    RoundHousehold,
    current_proposals,
    round_households,
    round_unit_ids,
)
from sra.i18n import gettext as _
from sra.i18n import lazy, ngettext
from sra.register.models import Household, Unit

# "No flat fits: 3 the wrong size, 2 too expensive for the income, ..." (rule -> words).
RULE_COUNTS = {
    "occupancy": lazy("{n} the wrong size"),
    "wheelchair": lazy("{n} not wheelchair accessible"),
    "step_free": lazy("{n} not step-free"),
    "affordability": lazy("{n} too expensive for the income"),
    "max_rent": lazy("{n} above the highest rent the household asked for"),
    "distance": lazy("{n} too far from the places the household chose"),
    "excluded": lazy("{n} declined before"),
    "not_available": lazy("{n} not available yet on the round's date"),
}
VACANT = {
    "no_eligible_household": lazy("No household of the round fits this flat."),
    "outcompeted": lazy("The households that fit this flat were proposed other flats."),
}
GONE = lazy("This flat was no longer available when the round was solved.")
DECISIONS = {
    Decision.PENDING: lazy("To review"),
    Decision.APPROVED: lazy("Approved"),
    Decision.REJECTED: lazy("Rejected"),
    Decision.OVERRIDDEN: lazy("Another household chosen"),
    Decision.OFFERED: lazy("Offer sent"),
}


@dataclass
class AlternativeView:
    household: Household | None
    score: int
    distance_km: float
    elsewhere: Unit | None  # the flat this household is proposed, if any


@dataclass
class ProposalView:
    proposal: Proposal
    unit: Unit
    household: Household | None
    original: Household | None
    alternatives: list[AlternativeView]


@dataclass
class LeftOut:
    household: Household | None
    outcome: Outcome
    reason: str


@dataclass
class Vacancy:
    unit: Unit
    reason: str


@dataclass
class RoundView:
    proposals: list[ProposalView]
    left_out: list[LeftOut]
    vacant: list[Vacancy]
    only_round: list[Household]
    only_waitlist: list[Household]
    fairness: list[FairnessRow]
    households: int


def rule_sentence(rules: dict[str, int]) -> str:
    counted = [
        _(words).format(n=rules[rule]) for rule, words in RULE_COUNTS.items() if rules.get(rule)
    ]
    if not counted:
        return _("No flat fits.")
    return _("No flat fits: {reasons}.").format(reasons=", ".join(counted))


def given_to_sentence(
    given_to: list[dict[str, Any]], units: dict[UUID, Unit], households: dict[UUID, Household]
) -> str:
    flats = []
    for entry in given_to:
        unit = units.get(UUID(entry["unit_id"]))
        label = unit.label if unit else "?"
        holder_id = entry.get("household_id")
        holder = households.get(UUID(holder_id)) if holder_id else None
        if holder is None:
            flats.append(_("{flat} stayed empty").format(flat=label))
        else:
            flats.append(
                _("{flat} went to {household}").format(flat=label, household=holder.reference)
            )
    return _("Other households ranked higher for the flats it fitted: {flats}.").format(
        flats="; ".join(flats)
    )


def people(n: int) -> str:
    return ngettext("%(num)d person", "%(num)d people", n) % {"num": n}


async def _units(session: AsyncSession, ids: set[UUID]) -> dict[UUID, Unit]:
    rows = await session.scalars(
        select(Unit).where(Unit.id.in_(ids)).options(selectinload(Unit.building))
    )
    return {u.id: u for u in rows}


async def _households(session: AsyncSession, ids: set[UUID]) -> dict[UUID, Household]:
    rows = await session.scalars(select(Household).where(Household.id.in_(ids)))
    return {h.id: h for h in rows}


async def round_view(session: AsyncSession, round_: AllocationRound) -> RoundView:
    proposals = await current_proposals(session, round_)
    rows = await round_households(session, round_.id)
    unit_ids = set(await round_unit_ids(session, round_.id))
    units = await _units(session, unit_ids)
    wanted = {r.household_id for r in rows} | {p.household_id for p in proposals}
    wanted |= {p.original_household_id for p in proposals if p.original_household_id}
    households = await _households(session, wanted)
    return RoundView(
        proposals=_proposal_views(proposals, units, households),
        left_out=_left_out(rows, proposals, units, households),
        vacant=_vacant(round_, proposals, units),
        only_round=_only(rows, households, by_round=True),
        only_waitlist=_only(rows, households, by_round=False),
        fairness=fairness_of(rows),
        households=len(rows),
    )


def _proposal_views(
    proposals: list[Proposal], units: dict[UUID, Unit], households: dict[UUID, Household]
) -> list[ProposalView]:
    live = [p for p in proposals if p.decision is not Decision.REJECTED]
    proposed_for = {p.household_id: units.get(p.unit_id) for p in live}
    views = []
    for p in proposals:
        others = [
            AlternativeView(
                households.get(UUID(a["household_id"])),
                int(a["score"]),
                float(a["distance_km"]),
                proposed_for.get(UUID(a["household_id"])),
            )
            for a in p.alternatives
        ]
        original = households.get(p.original_household_id) if p.original_household_id else None
        views.append(
            ProposalView(p, units[p.unit_id], households.get(p.household_id), original, others)
        )
    views.sort(key=lambda v: (v.unit.building.municipality, v.unit.building.street, v.unit.label))
    return views


def _left_out(
    rows: list[RoundHousehold],
    proposals: list[Proposal],
    units: dict[UUID, Unit],
    households: dict[UUID, Household],
) -> list[LeftOut]:
    """Households the round does not house; a household a person chose instead is housed."""
    holding = {p.household_id for p in proposals if p.decision is not Decision.REJECTED}
    out = []
    for row in rows:
        if row.outcome in (None, Outcome.PROPOSED) or row.household_id in holding:
            continue
        assert row.outcome is not None
        if row.outcome is Outcome.NO_ELIGIBLE_UNIT:
            reason = rule_sentence(row.rules or {})
        else:
            reason = given_to_sentence(row.given_to or [], units, households)
        out.append(LeftOut(households.get(row.household_id), row.outcome, reason))
    out.sort(key=lambda x: x.household.reference if x.household else "")
    return out


def _vacant(
    round_: AllocationRound, proposals: list[Proposal], units: dict[UUID, Unit]
) -> list[Vacancy]:
    """The round's flats without a proposal: why the solver left them empty, or that they
    were no longer available when the round was solved."""
    with_proposal = {p.unit_id for p in proposals}
    reasons = {v["unit_id"]: v["reason"] for v in (round_.result or {}).get("vacant", [])}
    solved = {u["id"] for u in (round_.problem or {}).get("units", [])}
    out = []
    for unit_id, unit in units.items():
        if unit_id in with_proposal:
            continue
        key = str(unit_id)
        if key in reasons:
            out.append(Vacancy(unit, _(VACANT[reasons[key]])))
        elif key not in solved:
            out.append(Vacancy(unit, _(GONE)))
    out.sort(key=lambda v: v.unit.label)
    return out


def _only(
    rows: list[RoundHousehold], households: dict[UUID, Household], *, by_round: bool
) -> list[Household]:
    """Households housed by the round's proposal and not by the waitlist, or the reverse."""
    picked = [
        households[r.household_id]
        for r in rows
        if r.household_id in households
        and (r.proposed_unit_id is not None) == by_round
        and (r.waitlist_unit_id is not None) != by_round
    ]
    return sorted(picked, key=lambda h: h.reference)


def fairness_of(rows: list[RoundHousehold]) -> list[FairnessRow]:
    households = [
        FairnessHousehold(
            household_id=str(r.household_id),
            size=r.size,
            disability_need=r.disability_need,
            displaced=r.displaced,
            ethos_group=r.ethos_group,
        )
        for r in rows
    ]
    housed = [str(r.household_id) for r in rows if r.proposed_unit_id is not None]
    waitlist = [str(r.household_id) for r in rows if r.waitlist_unit_id is not None]
    return fairness_report(households, housed, waitlist)


DIMENSION_LABELS = {
    "all": lazy("All households"),
    "size": lazy("Household size"),
    "disability": lazy("Disability or access need"),
    "displaced": lazy("Displaced"),
    "ethos": lazy("ETHOS group"),
}
GROUP_LABELS = {
    "all": lazy("All households"),
    "6+": lazy("6 or more people"),
    "yes": lazy("Yes"),
    "no": lazy("No"),
    "roofless": lazy("Roofless"),
    "houseless": lazy("Houseless"),
    "insecure": lazy("Insecure housing"),
    "inadequate": lazy("Inadequate housing"),
    "unknown": lazy("Not recorded"),
}


def group_label(row: FairnessRow) -> str:
    if row.dimension == "size" and row.group.isdigit():
        return people(int(row.group))
    return _(GROUP_LABELS.get(row.group, row.group))


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value} %"


def fairness_csv(rows: list[FairnessRow]) -> str:
    """The fairness table as CSV, labels in the reader's language, shares as in the table."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Dimension"),
            _("Group"),
            _("Households"),
            _("Housed by the round"),
            _("Share housed by the round (%)"),
            _("Housed by a waitlist"),
            _("Share housed by a waitlist (%)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                _(DIMENSION_LABELS[row.dimension]),
                group_label(row),
                row.households,
                row.housed,
                "" if row.share is None else str(row.share),
                row.housed_waitlist,
                "" if row.share_waitlist is None else str(row.share_waitlist),
            ]
        )
    return out.getvalue()
