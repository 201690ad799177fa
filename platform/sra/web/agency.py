"""Which agency a page is about: the signed-in user's, or the only one."""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.registration import the_agency
from sra.register.models import Agency
from sra.web.guards import AnyRequest, current_user


async def callers_agency(request: AnyRequest, session: AsyncSession) -> Agency:
    """The signed-in user's agency; for visitors and for accounts that name none (single-agency
    installs), the only agency. 404 when there is none."""
    user = current_user(request)
    agency = await session.get(Agency, user.agency_id) if user and user.agency_id else None
    agency = agency or await the_agency(session)
    if agency is None:
        raise NotFoundException()
    return agency
