"""Whose records a staff page shows: the signed-in staff member's agency."""

from __future__ import annotations

from uuid import UUID

from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.current import CurrentUser
from sra.identity.registration import the_agency


async def agency_id_of(session: AsyncSession, user: CurrentUser) -> UUID:
    """The user's agency (the only agency when the account names none)."""
    if user.agency_id is not None:
        return user.agency_id
    agency = await the_agency(session)
    if agency is None:
        raise NotFoundException()
    return agency.id
