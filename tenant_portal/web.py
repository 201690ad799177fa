"""Pages a household sees."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from sra.identity.roles import Role
from sra.web.guards import requires


@get("/tenant", guards=[requires(Role.HOUSEHOLD)])
async def tenant_home(request: Request[Any, Any, Any]) -> Template:
    return Template("tenant/home.html")


tenant_pages = [tenant_home]
