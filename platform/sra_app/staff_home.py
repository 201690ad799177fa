"""The staff dashboard: what each staff role can do from here."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from sra.identity.roles import STAFF_ROLES
from sra.web.guards import current_user, requires


@get("/staff", guards=[requires(*STAFF_ROLES)])
async def staff_home(request: Request[Any, Any, Any]) -> Template:
    user = current_user(request)
    return Template("staff/home.html", context={"role": user.role if user else None})


staff_pages = [staff_home]
