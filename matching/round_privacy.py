"""What allocation rounds hold about a household, for its data export and its erasure.

The export lists each round it took part in and what the round proposed. The erasure keeps
the rows (a round's figures must still add up) but clears the situation kept for the fairness
report and the free text officers wrote about the household, and pseudonymises that text in
the audit log.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.rounds import AllocationRound, Proposal, RoundHousehold
from sra import audit
from sra.households.personal_data import eraser, exporter
from sra.register.models import Household


@exporter("allocation_rounds")
async def _export_rounds(session: AsyncSession, household: Household) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(AllocationRound, RoundHousehold)
        .join(RoundHousehold, RoundHousehold.round_id == AllocationRound.id)
        .where(RoundHousehold.household_id == household.id)
        .order_by(AllocationRound.round_date)
    )
    return [
        {
            "round": round_.name,
            "round_date": round_.round_date.isoformat(),
            "urgency": row.urgency,
            "days_waiting": row.days_waiting,
            "outcome": row.outcome.value if row.outcome else None,
            "proposed_unit_id": str(row.proposed_unit_id) if row.proposed_unit_id else None,
            "rules_failed": row.rules,
        }
        for round_, row in rows.tuples()
    ]


@eraser("allocation_rounds")
async def _erase_rounds(session: AsyncSession, household: Household) -> None:
    await session.execute(
        update(RoundHousehold)
        .where(RoundHousehold.household_id == household.id)
        .values(disability_need=False, displaced=False, ethos_group=None)
        .execution_options(synchronize_session=False)
    )
    proposals = list(
        await session.scalars(select(Proposal.id).where(Proposal.household_id == household.id))
    )
    await session.execute(
        update(Proposal)
        .where(Proposal.household_id == household.id)
        .values(reason=None, override_justification=None)
        .execution_options(synchronize_session=False)
    )
    salt = secrets.token_hex(16)
    for proposal_id in proposals:
        await audit.pseudonymise(session, "round_proposal", proposal_id, salt)
    await session.flush()
