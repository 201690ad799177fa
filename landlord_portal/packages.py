"""The guarantee packages a landlord can choose, with what each one promises in plain words."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.packages import PACKAGE_KIND_LABEL, active_packages, describe
from contracts.staff_scope import agency_id_of
from sra.identity.roles import Role
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller


@get("/landlord/packages", guards=[requires(Role.LANDLORD)])
async def landlord_packages(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template:
    agency_id = await agency_id_of(db_session, caller(request))
    return Template(
        "landlord/packages.html",
        context={
            "packages": await active_packages(db_session, agency_id),
            "describe": describe,
            "kind_label": PACKAGE_KIND_LABEL,
        },
    )


package_pages = [landlord_packages]
