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
    dirs.append(Path(sra_identity_templates()))
    return [d for d in dirs if d.exists()]


def sra_identity_templates() -> Path:
    import sra.identity

    return Path(sra.identity.__file__).parent / "templates"


def page_handlers() -> list[Any]:
    from landlord_portal.web import landlord_pages
    from sra.audit_web import audit_pages
    from sra.files.web import file_pages
    from sra.identity.pages import identity_pages
    from sra.jobs.web import jobs_pages
    from sra_app.staff_home import staff_pages
    from tenant_portal.web import tenant_pages

    return [
        *landlord_pages,
        *tenant_pages,
        *staff_pages,
        *jobs_pages,
        *audit_pages,
        *file_pages,
        *identity_pages(),
    ]


def api_handlers() -> list[Any]:
    from sra.audit_web import audit_api_handlers
    from sra.identity.pages import identity_api
    from tenant_portal.api import tenant_api

    return [*audit_api_handlers, *identity_api(), *tenant_api]


def csrf_exempt_paths() -> list[str]:
    return ["/health"]


def register_navigation() -> None:
    from sra.i18n import lazy
    from sra.identity.roles import STAFF_ROLES, Role
    from sra.web.navigation import add_nav_item

    add_nav_item(lazy("My flats"), "/landlord", {Role.LANDLORD}, order=10)
    add_nav_item(lazy("My home search"), "/tenant", {Role.HOUSEHOLD}, order=10)
    add_nav_item(lazy("Staff dashboard"), "/staff", set(STAFF_ROLES), order=10)
    add_nav_item(lazy("Users"), "/admin/users", {Role.ADMINISTRATOR}, order=80)
    add_nav_item(
        lazy("Open a household account"),
        "/staff/household-accounts/new",
        {Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER, Role.CASEWORKER},
        order=60,
    )
    add_nav_item(lazy("Audit log"), "/admin/audit", {Role.ADMINISTRATOR}, order=90)
    add_nav_item(lazy("Background jobs"), "/admin/jobs", {Role.ADMINISTRATOR}, order=91)


def startup_hooks() -> Sequence[Callable[..., Any]]:
    return []


def task_modules() -> list[str]:
    """Modules holding ``@task`` functions; the worker imports them before it runs jobs."""
    return ["sra.jobs.housekeeping", "sra.mail.tasks", "sra.identity.tasks"]
