"""Staff pages for head leases and mandates: propose terms, follow them, download contracts.

Intake officers propose and withdraw; intake and finance officers read and download.
Another agency's lease or unit answers 404.
"""

from __future__ import annotations

import contextlib
from datetime import date
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
from contracts.leases import LEASE_STATUS, HeadLease, LeaseError, LeaseStatus
from contracts.packages import PACKAGE_KIND_LABEL, GuaranteePackage, active_packages, describe
from sra import audit
from sra.files import FileStore
from sra.files.web import content_disposition
from sra.i18n import gettext as _
from sra.identity.forms import Errors, field
from sra.identity.roles import Role
from sra.register import form_values
from sra.register.intake import unit_for_staff
from sra.register.models import Landlord, Unit, UnitStatus
from sra.register.queries import agency_currency
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

READERS = (Role.INTAKE_OFFICER, Role.FINANCE_OFFICER)


async def pdf_response(request: AnyRequest, db: AsyncSession, lease: HeadLease) -> Response[bytes]:
    """The stored contract, byte for byte, as an attachment (404 while none exists)."""
    if lease.status is not LeaseStatus.ACCEPTED:
        raise NotFoundException()
    store = FileStore.from_settings(request.app.state.settings)
    try:
        data = await leases.contract_bytes(db, lease, store)
    except FileNotFoundError:
        raise NotFoundException() from None
    user = caller(request)
    await audit.record(
        db,
        actor_id=user.id,
        actor_label=user.display_name,
        action="file.read",
        entity="stored_file",
        entity_id=str(lease.pdf_file_id),
        after={"owner_kind": leases.PDF_KIND, "owner_id": str(lease.id)},
        ip_address=request.client.host if request.client else None,
    )
    await db.flush()
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(f"contract-{lease.id}.pdf"),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def _month(text: str) -> tuple[date | None, str | None]:
    """An optional month typed as 2025-03 (or a full date within it)."""
    if not text:
        return None, None
    try:
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1), None
    except ValueError:
        return None, _("Please enter a month as year-month, for example 2025-03.")


def _read_terms(
    form: Any, packages: dict[str, GuaranteePackage]
) -> tuple[dict[str, Any] | None, dict[str, str], Errors]:
    names = ("package", "guaranteed_rent", "start_date", "duration_years", "index_base_month")
    values = {name: field(form, name) for name in names}
    errors: Errors = {}
    package = packages.get(values["package"])
    if package is None:
        errors["package"] = _("Please choose a package from the list.")
    rent, error = form_values.cents(values["guaranteed_rent"])
    if error:
        errors["guaranteed_rent"] = error
    start, error = form_values.day(values["start_date"], not_before=date.today())
    if error:
        errors["start_date"] = error
    years: int | None = package.duration_years if package else None
    if values["duration_years"]:
        years, error = form_values.whole_number(values["duration_years"], low=1, high=99)
        if error:
            errors["duration_years"] = error
    base, error = _month(values["index_base_month"])
    if error:
        errors["index_base_month"] = error
    if errors:
        return None, values, errors
    terms = {
        "package": package,
        "guaranteed_rent_cents": rent,
        "start_date": start,
        "duration_years": years,
        "index_base_month": base,
    }
    return terms, values, errors


class LeaseController(Controller):
    path = "/staff/leases"
    guards = [requires(*READERS)]
    include_in_schema = False

    @get("/")
    async def index(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        user = caller(request)
        query = (
            select(HeadLease, Unit, Landlord.name)
            .join(Unit, Unit.id == HeadLease.unit_id)
            .join(Landlord, Landlord.id == HeadLease.landlord_id)
            .options(selectinload(Unit.building))
            .order_by(HeadLease.created_at.desc())
        )
        if user.agency_id is not None:
            query = query.where(Landlord.agency_id == user.agency_id)
        with contextlib.suppress(KeyError, ValueError):
            query = query.where(HeadLease.unit_id == UUID(request.query_params["unit"]))
        rows = (await db_session.execute(query.limit(500))).tuples().all()
        return Template(
            "leases/staff_list.html",
            context={
                "rows": rows,
                "status_label": LEASE_STATUS,
                "kind_label": PACKAGE_KIND_LABEL,
                "currency": await agency_currency(db_session, user.agency_id),
            },
        )

    @get("/new", guards=[requires(Role.INTAKE_OFFICER)])
    async def new_form(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Template:
        unit, packages = await self._unit_and_packages(request, db_session, "unit")
        values = {
            "guaranteed_rent": _amount(unit.guaranteed_rent_cents),
            "start_date": (max(unit.available_from or date.today(), date.today())).isoformat(),
        }
        if unit.package_id is not None:  # the package the landlord chose for the flat
            values["package"] = str(unit.package_id)
        return await _proposal_form(db_session, unit, packages, values, {})

    @post("/new", guards=[requires(Role.INTAKE_OFFICER)])
    async def propose(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        unit, packages = await self._unit_and_packages(request, db_session, field(form, "unit"))
        terms, values, errors = _read_terms(form, packages)
        if terms is None:
            return await _proposal_form(db_session, unit, packages, values, errors, status=400)
        try:
            lease = await leases.propose(db_session, unit, actor=caller(request), **terms)
        except LeaseError:
            errors["package"] = _(
                "Terms can be proposed only for an approved flat without a proposal waiting."
            )
            return await _proposal_form(db_session, unit, packages, values, errors, status=400)
        return Redirect(f"/staff/leases/{lease.id}", status_code=303)

    async def _unit_and_packages(
        self, request: AnyRequest, db: AsyncSession, unit_field: str
    ) -> tuple[Unit, dict[str, GuaranteePackage]]:
        raw = request.query_params.get("unit", "") if unit_field == "unit" else unit_field
        try:
            unit_id = UUID(raw)
        except ValueError:
            raise NotFoundException() from None
        unit = await unit_for_staff(db, caller(request).agency_id, unit_id)
        if unit is None:
            raise NotFoundException()
        found = await active_packages(db, unit.building.landlord.agency_id)
        return unit, {str(p.id): p for p in found}

    @get("/{lease_id:uuid}")
    async def detail(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Template:
        lease = await self._lease(request, db_session, lease_id)
        unit = await unit_for_staff(db_session, caller(request).agency_id, lease.unit_id)
        package = await db_session.get_one(GuaranteePackage, lease.package_id)
        return Template(
            "leases/staff_detail.html",
            context={
                "lease": lease,
                "unit": unit,
                "package": package,
                "promises": describe(package),
                "status_label": LEASE_STATUS,
                "kind_label": PACKAGE_KIND_LABEL,
                "S": LeaseStatus,
                "can_withdraw": caller(request).role is Role.INTAKE_OFFICER,
                "currency": await agency_currency(db_session, caller(request).agency_id),
            },
        )

    @post("/{lease_id:uuid}/withdraw", guards=[requires(Role.INTAKE_OFFICER)])
    async def withdraw(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Response[Any]:
        lease = await self._lease(request, db_session, lease_id)
        # Already accepted or withdrawn: nothing to take back, the page says which.
        with contextlib.suppress(LeaseError):
            await leases.withdraw(db_session, lease, actor=caller(request))
        return Redirect(f"/staff/leases/{lease.id}", status_code=303)

    @get("/{lease_id:uuid}/contract.pdf")
    async def contract(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        lease_id: FromPath[UUID],
    ) -> Response[bytes]:
        lease = await self._lease(request, db_session, lease_id)
        return await pdf_response(request, db_session, lease)

    async def _lease(self, request: AnyRequest, db: AsyncSession, lease_id: UUID) -> HeadLease:
        lease = await leases.lease_of_agency(db, caller(request).agency_id, lease_id)
        if lease is None:
            raise NotFoundException()
        return lease


def _amount(cents: int | None) -> str:
    if cents is None:
        return ""
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}" if rest else str(whole)


async def _proposal_form(
    db: AsyncSession,
    unit: Unit,
    packages: dict[str, GuaranteePackage],
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
) -> Template:
    return Template(
        "leases/staff_propose.html",
        context={
            "unit": unit,
            "building": unit.building,
            "packages": packages,
            "kind_label": PACKAGE_KIND_LABEL,
            "values": values,
            "errors": errors,
            "approved": unit.status is UnitStatus.APPROVED,
            "waiting": await leases.open_proposal(db, unit.id),
            "currency": await agency_currency(db, unit.building.landlord.agency_id),
        },
        status_code=status,
    )


lease_pages = [LeaseController]
