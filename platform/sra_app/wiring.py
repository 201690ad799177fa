"""Which routes, templates, navigation entries and jobs each context contributes.

Each context exposes its own lists; this module only collects them. Add a context here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def template_dirs() -> list[Path]:
    import landlord_portal
    import sra_app
    import tenant_portal

    dirs = [
        Path(m.__file__).parent / "templates" for m in (landlord_portal, tenant_portal, sra_app)
    ]
    return [d for d in dirs if d.exists()]


def page_handlers() -> list[Any]:
    from landlord_portal.web import landlord_pages
    from sra_app.staff_home import staff_pages
    from tenant_portal.web import tenant_pages

    return [*landlord_pages, *tenant_pages, *staff_pages]


def api_handlers() -> list[Any]:
    return []


def csrf_exempt_paths() -> list[str]:
    return ["/health"]


def register_navigation() -> None:
    from sra.identity.roles import STAFF_ROLES, Role
    from sra.web.navigation import add_nav_item

    add_nav_item("My flats", "/landlord", {Role.LANDLORD}, order=10)
    add_nav_item("My home search", "/tenant", {Role.HOUSEHOLD}, order=10)
    add_nav_item("Staff dashboard", "/staff", set(STAFF_ROLES), order=10)


def startup_hooks() -> Sequence[Callable[..., Any]]:
    return []
