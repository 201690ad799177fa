"""Administrator pages for guarantee packages, and the packages in the JSON API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.package_form import FIELDS, package_values, read_package, terms_dict
from contracts.packages import (
    PACKAGE_KIND_LABEL,
    GuaranteePackage,
    PackageKind,
    describe,
    package_of_agency,
    packages_of_agency,
)
from contracts.staff_scope import agency_id_of
from sra import audit
from sra.i18n import gettext as _
from sra.identity.forms import Errors, field
from sra.identity.roles import STAFF_ROLES, Role
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

AUDITED = (
    "name",
    "kind",
    "duration_years",
    "vacancy_covered",
    "arrears_covered",
    "damage_cover_months",
    "management_fee_basis_points",
    "description",
    "active",
)


def _snapshot(package: GuaranteePackage) -> dict[str, Any]:
    return {name: getattr(package, name) for name in AUDITED}


async def _record(
    session: AsyncSession,
    request: AnyRequest,
    action: str,
    package: GuaranteePackage,
    before: dict[str, Any] | None,
) -> None:
    user = caller(request)
    await audit.record(
        session,
        actor_id=user.id,
        actor_label=user.display_name,
        action=action,
        entity="guarantee_package",
        entity_id=package.id,
        before=before,
        after=_snapshot(package),
        ip_address=request.client.host if request.client else None,
    )


def _form(
    package: GuaranteePackage | None,
    values: dict[str, str],
    errors: Errors | None = None,
    status: int = 200,
) -> Template:
    return Template(
        "contracts/package_form.html",
        context={
            "package": package,
            "values": values,
            "errors": errors or {},
            "kinds": list(PackageKind),
            "kind_label": PACKAGE_KIND_LABEL,
        },
        status_code=status,
    )


class PackagesAdminController(Controller):
    path = "/admin/packages"
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def packages(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        done: FromQuery[str] = "",
    ) -> Template:
        agency_id = await agency_id_of(db_session, caller(request))
        notices = {
            "created": _("The package is created. Landlords can choose it now."),
            "saved": _("The package is saved."),
            "deactivated": _(
                "The package is deactivated: landlords can no longer choose it. Units that"
                " already have it keep it."
            ),
            "activated": _("The package is active again: landlords can choose it."),
        }
        return Template(
            "contracts/packages.html",
            context={
                "packages": await packages_of_agency(db_session, agency_id),
                "describe": describe,
                "kind_label": PACKAGE_KIND_LABEL,
                "notice": notices.get(done),
            },
        )

    @get("/new")
    async def new_form(self) -> Template:
        return _form(None, {"kind": PackageKind.HEAD_LEASE.value, "duration_years": "9"})

    @post("/new")
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        values = {name: field(form, name) for name in FIELDS}
        terms, errors = read_package(values)
        if terms is None:
            return _form(None, values, errors, 400)
        agency_id = await agency_id_of(db_session, caller(request))
        package = GuaranteePackage(agency_id=agency_id, active=True, **terms_dict(terms))
        db_session.add(package)
        await db_session.flush()
        await _record(db_session, request, "guarantee_package.created", package, None)
        await db_session.flush()
        return Redirect("/admin/packages?done=created", status_code=303)

    @get("/{package_id:uuid}/edit")
    async def edit_form(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        package_id: FromPath[UUID],
    ) -> Template:
        package = await self._package(request, db_session, package_id)
        return _form(package, package_values(package))

    @post("/{package_id:uuid}/edit")
    async def save(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        package_id: FromPath[UUID],
    ) -> Response[Any]:
        package = await self._package(request, db_session, package_id)
        form = await request.form()
        values = {name: field(form, name) for name in FIELDS}
        terms, errors = read_package(values)
        if terms is None:
            return _form(package, values, errors, 400)
        before = _snapshot(package)
        for name, value in terms_dict(terms).items():
            setattr(package, name, value)
        await _record(db_session, request, "guarantee_package.changed", package, before)
        await db_session.flush()
        return Redirect("/admin/packages?done=saved", status_code=303)

    @post("/{package_id:uuid}/deactivate")
    async def deactivate(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        package_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._set_active(request, db_session, package_id, active=False)

    @post("/{package_id:uuid}/activate")
    async def activate(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        package_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._set_active(request, db_session, package_id, active=True)

    async def _set_active(
        self, request: AnyRequest, db_session: AsyncSession, package_id: UUID, *, active: bool
    ) -> Response[Any]:
        package = await self._package(request, db_session, package_id)
        before = _snapshot(package)
        package.active = active
        action = "activated" if active else "deactivated"
        await _record(db_session, request, f"guarantee_package.{action}", package, before)
        await db_session.flush()
        return Redirect(f"/admin/packages?done={action}", status_code=303)

    async def _package(
        self, request: AnyRequest, db_session: AsyncSession, package_id: UUID
    ) -> GuaranteePackage:
        agency_id = await agency_id_of(db_session, caller(request))
        package = await package_of_agency(db_session, agency_id, package_id)
        if package is None:
            raise NotFoundException()
        return package


class PackageOut(msgspec.Struct):
    id: UUID
    name: str
    kind: str
    duration_years: int
    vacancy_covered: bool
    arrears_covered: bool
    damage_cover_months: int
    management_fee_basis_points: int
    description: str
    promises: list[str]


@get(
    "/packages",
    guards=[requires(Role.LANDLORD, *STAFF_ROLES)],
    tags=["packages"],
    summary="The agency's active guarantee packages, with their promises in plain words",
)
async def packages_api(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> list[PackageOut]:
    agency_id = await agency_id_of(db_session, caller(request))
    return [
        PackageOut(
            id=p.id,
            name=p.name,
            kind=p.kind.value,
            duration_years=p.duration_years,
            vacancy_covered=p.vacancy_covered,
            arrears_covered=p.arrears_covered,
            damage_cover_months=p.damage_cover_months,
            management_fee_basis_points=p.management_fee_basis_points,
            description=p.description,
            promises=describe(p),
        )
        for p in await packages_of_agency(db_session, agency_id, active_only=True)
    ]


package_pages = [PackagesAdminController]
package_api = [packages_api]
