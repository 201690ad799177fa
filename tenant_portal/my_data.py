"""``/tenant/my-data``: the household downloads all its data, or asks for it to be erased.

The routes take no id: each works on the signed-in household's own record only.
"""

from __future__ import annotations

from datetime import date

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files import FileStore
from sra.households import privacy
from sra.i18n import gettext as _
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.register.models import Household
from sra.settings import Settings
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _caller

PATH = "/tenant/my-data"
GUARDS = [requires(Role.HOUSEHOLD)]


def _ip(request: AnyRequest) -> str | None:
    return request.client.host if request.client else None


async def _own(request: AnyRequest, session: AsyncSession) -> Household:
    household = await privacy.household_with_profile(session, user_id=_caller(request).id)
    if household is None:
        raise NotFoundException()
    return household


async def _page(
    session: AsyncSession,
    household: Household,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    return Template(
        "tenant/my_data.html",
        status_code=status,
        context={
            "household": household,
            "keeps_records": await privacy.has_housing_records(session, household),
            "errors": errors or {},
            "notice": notice,
        },
    )


@get(PATH, guards=GUARDS)
async def my_data(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    household = await _own(request, db_session)
    notices = {
        "requested": _("We have your request. The agency will erase your data soon."),
        "kept": _("Your request is taken back: your data and your application stay as they are."),
    }
    return await _page(db_session, household, notice=notices.get(done))


@post(f"{PATH}/download", guards=GUARDS, status_code=200)
async def download(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Response[bytes]:
    household = await _own(request, db_session)
    settings: Settings = request.app.state.settings
    data = await privacy.export_zip(
        db_session,
        household,
        FileStore.from_settings(settings),
        actor=_caller(request),
        ip_address=_ip(request),
    )
    name = f"my-data-{household.reference}-{date.today().isoformat()}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@post(f"{PATH}/erasure", guards=GUARDS, status_code=303)
async def ask_erasure(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    household = await _own(request, db_session)
    form = await request.form()
    if field(form, "confirm") != "yes":
        errors = {"confirm": _("Please tick the box to confirm that you want your data erased.")}
        return await _page(db_session, household, errors=errors, status=400)
    await privacy.request_erasure(
        db_session, household, actor=_caller(request), ip_address=_ip(request)
    )
    return Redirect(f"{PATH}?done=requested", status_code=303)


@post(f"{PATH}/erasure/cancel", guards=GUARDS, status_code=303)
async def cancel_erasure(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Redirect:
    household = await _own(request, db_session)
    await privacy.cancel_erasure(
        db_session, household, actor=_caller(request), ip_address=_ip(request)
    )
    return Redirect(f"{PATH}?done=kept", status_code=303)


my_data_pages = [my_data, download, ask_erasure, cancel_erasure]
