"""The contract PDF of an accepted head lease or mandate, in the landlord's language.

Rendered from a Jinja2 template with WeasyPrint (imported here only: it is slow to import).
Made once, at acceptance; afterwards the stored bytes are served, never re-rendered.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import anyio.to_thread
from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.leases import HeadLease
from contracts.packages import PACKAGE_KIND_LABEL, GuaranteePackage, describe
from sra.i18n import LOCALES, use_locale
from sra.identity.models import User
from sra.register.labels import LANDLORD_KIND
from sra.register.models import Agency, Landlord, Unit

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    from sra.web.templating import make_environment

    return make_environment([TEMPLATES])


async def contract_pdf(
    session: AsyncSession, lease: HeadLease, landlord: Landlord
) -> tuple[bytes, str]:
    """The PDF's bytes and the language it is written in."""
    locale = landlord.locale if landlord.locale in LOCALES else "en"
    unit = await session.scalar(
        select(Unit).where(Unit.id == lease.unit_id).options(selectinload(Unit.building))
    )
    agency = await session.get_one(Agency, landlord.agency_id)
    package = await session.get_one(GuaranteePackage, lease.package_id)
    signer = await session.get(User, lease.accepted_by) if lease.accepted_by else None
    with use_locale(locale):
        html = (
            _environment()
            .get_template("leases/contract_pdf.html")
            .render(
                lease=lease,
                unit=unit,
                building=unit.building if unit else None,
                landlord=landlord,
                landlord_kind=LANDLORD_KIND,
                agency=agency,
                package=package,
                kind_label=PACKAGE_KIND_LABEL[lease.kind],
                promises=describe(package),
                signer=signer.display_name if signer else landlord.name,
                locale=locale,
            )
        )
    return await anyio.to_thread.run_sync(_render, html), locale


def _render(html: str) -> bytes:
    from weasyprint import HTML

    data: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return data
