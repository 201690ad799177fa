"""Pages a landlord sees."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from sra.identity.roles import Role
from sra.web.guards import requires


@get("/landlord", guards=[requires(Role.LANDLORD)])
async def landlord_home(request: Request[Any, Any, Any]) -> Template:
    return Template("landlord/home.html")


landlord_pages = [landlord_home]
