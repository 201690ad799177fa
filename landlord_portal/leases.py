"""The landlord's leases: read the proposed terms in plain words, accept them, get the contract.

Only the signed-in landlord's own leases exist here; any other id answers 404.
"""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts import leases
from contracts.lease_pages import pdf_response
from contracts.leases import LEASE_STATUS, HeadLease, LeaseError, LeaseStatus
from contracts.packages import PACKAGE_KIND_LABEL, GuaranteePackage, describe
from sra.files import FileStore
from sra.i18n import gettext as _
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.register.models import Landlord, Unit
from sra.register.queries import agency_currency, landlord_of_user
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller


async def _landlord(request: AnyRequest, db: AsyncSession) -> Landlord:
    landlord = await landlord_of_user(db, caller(request).id)
    if landlord is None:
        raise NotFoundException()
    return landlord


async def _lease(request: AnyRequest, db: AsyncSession, lease_id: UUID) -> HeadLease:
    landlord = await _landlord(request, db)
    lease = await leases.lease_of_landlord(db, landlord.id, lease_id)
    if lease is None:
        raise NotFoundException()
    return lease


class LandlordLeaseController(Controller):
    path = "/landlord/leases"
    guards = [requires(Role.LANDLORD)]
    include_in_schema = False

    @get("/")
    async def index(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        landlord = await _landlord(request, db_session)
        found = await leases.leases_of_landlord(db_session, landlord.id)
        units = {
            u.id: u
            for u in await db_session.scalars(
                select(Unit)
                .where(Unit.id.in_([lease.unit_id for lease in found]))
                .options(selectinload(Unit.building))
            )
        }
        return Template(
            "landlord/leases/index.html",
            context={
                "leases": found,
                "units": units,
                "status_label": LEASE_STATUS,
                "kind_label": PACKAGE_KIND_LABEL,
                "S": LeaseStatus,
                "currency": await agency_currency(db_session, landlord.agency_id),
            },
        )

    @get("/{lease_id:uuid}")
    async def detail(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Template:
        lease = await _lease(request, db_session, lease_id)
        return await _detail(db_session, lease)

    @post("/{lease_id:uuid}/accept")
    async def accept(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Response[Any]:
        lease = await _lease(request, db_session, lease_id)
        form = await request.form()
        if lease.status is LeaseStatus.PROPOSED and field(form, "read_and_accept") != "yes":
            error = _("Please tick the box to confirm you have read and accept the terms.")
            return await _detail(db_session, lease, error=error)
        with contextlib.suppress(LeaseError):  # withdrawn meanwhile: the page shows it
            await leases.accept(
                db_session,
                lease,
                store=FileStore.from_settings(request.app.state.settings),
                actor=caller(request),
                ip_address=request.client.host if request.client else None,
            )
        return Redirect(f"/landlord/leases/{lease.id}", status_code=303)

    @get("/{lease_id:uuid}/contract.pdf")
    async def contract(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Response[bytes]:
        lease = await _lease(request, db_session, lease_id)
        return await pdf_response(request, db_session, lease)


async def _detail(db: AsyncSession, lease: HeadLease, error: str | None = None) -> Template:
    unit = await db.scalar(
        select(Unit).where(Unit.id == lease.unit_id).options(selectinload(Unit.building))
    )
    landlord = await db.get_one(Landlord, lease.landlord_id)
    package = await db.get_one(GuaranteePackage, lease.package_id)
    return Template(
        "landlord/leases/detail.html",
        context={
            "lease": lease,
            "unit": unit,
            "package": package,
            "promises": describe(package),
            "status_label": LEASE_STATUS,
            "kind_label": PACKAGE_KIND_LABEL,
            "S": LeaseStatus,
            "error": error,
            "currency": await agency_currency(db, landlord.agency_id),
        },
        status_code=400 if error else 200,
    )


lease_pages = [LandlordLeaseController]
