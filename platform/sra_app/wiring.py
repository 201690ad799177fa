"""Which routes, templates, navigation entries and jobs each context contributes.

Each context exposes its own lists; this module only collects them. Add a context here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def template_dirs() -> list[Path]:
    import landlord_portal
    import matching
    import sra_app
    import tenant_portal

    dirs = [
        Path(landlord_portal.__file__).parent / "templates",
        Path(tenant_portal.__file__).parent / "templates",
        Path(sra_app.__file__).parent / "templates",
    ]
    dirs.append(Path(sra_identity_templates()))
    dirs.append(Path(contracts_templates()))
    dirs.append(Path(matching.__file__).parent / "templates")
    dirs.append(Path(sra_identity_templates()).parents[1] / "register" / "templates")
    dirs.append(Path(sra_identity_templates()).parents[1] / "households" / "templates")
    return [d for d in dirs if d.exists()]


def contracts_templates() -> Path:
    import contracts

    return Path(contracts.__file__).parent / "templates"


def sra_identity_templates() -> Path:
    import sra.identity

    return Path(sra.identity.__file__).parent / "templates"


def page_handlers() -> list[Any]:
    from contracts.lease_pages import lease_pages as staff_lease_pages
    from contracts.package_pages import package_pages as package_admin_pages
    from contracts.payout_account_pages import payout_account_pages
    from landlord_portal.bank_account import bank_account_pages
    from landlord_portal.leases import lease_pages as landlord_lease_pages
    from landlord_portal.packages import package_pages as landlord_package_pages
    from landlord_portal.profile import profile_pages
    from landlord_portal.unit_pages import unit_pages
    from landlord_portal.web import landlord_pages
    from matching.offer_pages import offer_pages as staff_offer_pages
    from matching.offer_policy_pages import offer_policy_pages
    from matching.review_pages import review_pages
    from matching.web import round_pages
    from sra.audit_web import audit_pages
    from sra.files.web import file_pages
    from sra.health_index_web import health_index_pages
    from sra.households.erasure_web import erasure_pages
    from sra.households.points_web import points_pages as points_scheme_pages
    from sra.households.register_web import register_pages
    from sra.households.renewal_web import renewal_settings_pages
    from sra.households.verification_web import verification_pages
    from sra.identity.pages import identity_pages
    from sra.jobs.web import jobs_pages
    from sra.notifications_web import notification_pages
    from sra.register.intake_web import intake_pages
    from sra.register.rent_caps_web import rent_caps_pages
    from sra_app.staff_home import staff_pages
    from tenant_portal.documents import document_pages
    from tenant_portal.messages import message_pages
    from tenant_portal.my_data import my_data_pages
    from tenant_portal.offers import offer_pages as my_offer_pages
    from tenant_portal.points import points_pages as my_points_pages
    from tenant_portal.profile import profile_pages as household_profile_pages
    from tenant_portal.renewal import renewal_pages
    from tenant_portal.rounds import round_pages as my_round_pages
    from tenant_portal.web import tenant_pages

    return [
        *round_pages,
        *staff_offer_pages,
        *offer_policy_pages,
        *my_offer_pages,
        *review_pages,
        *my_round_pages,
        *points_scheme_pages,
        *my_points_pages,
        *renewal_pages,
        *my_data_pages,
        *renewal_settings_pages,
        *erasure_pages,
        *register_pages,
        *verification_pages,
        *message_pages,
        *landlord_pages,
        *unit_pages,
        *profile_pages,
        *bank_account_pages,
        *landlord_package_pages,
        *package_admin_pages,
        *payout_account_pages,
        *tenant_pages,
        *household_profile_pages,
        *document_pages,
        *staff_pages,
        *jobs_pages,
        *audit_pages,
        *file_pages,
        *health_index_pages,
        *rent_caps_pages,
        *intake_pages,
        *staff_lease_pages,
        *landlord_lease_pages,
        *notification_pages,
        *identity_pages(),
    ]


def api_handlers() -> list[Any]:
    from contracts.lease_api import lease_api
    from contracts.package_pages import package_api
    from landlord_portal.profile_api import landlord_api
    from landlord_portal.unit_api import unit_api
    from sra.audit_web import audit_api_handlers
    from sra.households.points_api import points_api
    from sra.households.register_api import register_api
    from sra.identity.pages import identity_api
    from tenant_portal.api import tenant_api
    from tenant_portal.profile_api import profile_api

    return [
        *audit_api_handlers,
        *identity_api(),
        *tenant_api,
        *profile_api,
        *landlord_api,
        *unit_api,
        *package_api,
        *lease_api,
        *register_api,
        *points_api,
    ]


def csrf_exempt_paths() -> list[str]:
    """Regular expressions searched anywhere in the path: anchor them (``/health`` alone would
    also exempt ``/staff/health-index``)."""
    return ["^/health$"]


def register_navigation() -> None:
    from sra.i18n import lazy
    from sra.identity.roles import STAFF_ROLES, Role
    from sra.web.navigation import add_nav_item

    add_nav_item(lazy("My flats"), "/landlord", {Role.LANDLORD}, order=10)
    add_nav_item(lazy("My home search"), "/tenant", {Role.HOUSEHOLD}, order=10)
    add_nav_item(lazy("My profile"), "/tenant/profile", {Role.HOUSEHOLD}, order=12)
    add_nav_item(lazy("My documents"), "/tenant/documents", {Role.HOUSEHOLD}, order=13)
    add_nav_item(lazy("Staff dashboard"), "/staff", set(STAFF_ROLES), order=10)
    add_nav_item(lazy("Allocation rounds"), "/staff/rounds", {Role.ALLOCATION_OFFICER}, order=45)
    add_nav_item(lazy("Users"), "/admin/users", {Role.ADMINISTRATOR}, order=80)
    add_nav_item(
        lazy("Open a household account"),
        "/staff/household-accounts/new",
        {Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER, Role.CASEWORKER},
        order=60,
    )
    add_nav_item(lazy("Health index"), "/staff/health-index", {Role.FINANCE_OFFICER}, order=70)
    add_nav_item(lazy("Rent caps"), "/admin/rent-caps", {Role.ADMINISTRATOR}, order=85)
    add_nav_item(lazy("Points scheme"), "/admin/points-scheme", {Role.ADMINISTRATOR}, order=86)
    add_nav_item(
        lazy("Points scheme"),
        "/staff/points-scheme",
        {Role.ALLOCATION_OFFICER, Role.MANAGER},
        order=75,
    )
    add_nav_item(lazy("My points"), "/tenant/points", {Role.HOUSEHOLD}, order=15)
    add_nav_item(lazy("Intake"), "/staff/intake", {Role.INTAKE_OFFICER}, order=20)
    add_nav_item(
        lazy("Inspection calendar"), "/staff/intake/calendar", {Role.INTAKE_OFFICER}, order=21
    )
    add_nav_item(
        lazy("Available flats"),
        "/staff/units/available",
        {Role.INTAKE_OFFICER, Role.ALLOCATION_OFFICER},
        order=25,
    )
    add_nav_item(lazy("Leases"), "/landlord/leases", {Role.LANDLORD}, order=30)
    add_nav_item(
        lazy("Leases"), "/staff/leases", {Role.INTAKE_OFFICER, Role.FINANCE_OFFICER}, order=30
    )
    add_nav_item(lazy("My profile"), "/landlord/profile", {Role.LANDLORD}, order=80)
    add_nav_item(lazy("Guarantee packages"), "/landlord/packages", {Role.LANDLORD}, order=70)
    add_nav_item(lazy("Guarantee packages"), "/admin/packages", {Role.ADMINISTRATOR}, order=84)
    add_nav_item(
        lazy("Bank account changes"),
        "/staff/payout-accounts",
        {Role.FINANCE_OFFICER},
        order=72,
    )
    add_nav_item(lazy("Audit log"), "/admin/audit", {Role.ADMINISTRATOR}, order=90)
    add_nav_item(lazy("Background jobs"), "/admin/jobs", {Role.ADMINISTRATOR}, order=91)
    add_nav_item(lazy("My data"), "/tenant/my-data", {Role.HOUSEHOLD}, order=90)
    add_nav_item(
        lazy("Households"),
        "/staff/households",
        {Role.ALLOCATION_OFFICER, Role.CASEWORKER},
        order=40,
    )
    add_nav_item(
        lazy("Verification"), "/staff/households/verification", {Role.ALLOCATION_OFFICER}, order=41
    )
    add_nav_item(lazy("Messages"), "/tenant/messages", {Role.HOUSEHOLD}, order=20)
    add_nav_item(
        lazy("Erasure requests"), "/staff/erasure-requests", {Role.ADMINISTRATOR}, order=88
    )
    add_nav_item(lazy("Renewal"), "/admin/households/renewal", {Role.ADMINISTRATOR}, order=86)
    add_nav_item(lazy("Offers"), "/staff/offers", {Role.ALLOCATION_OFFICER}, order=46)
    add_nav_item(lazy("My offers"), "/tenant/offers", {Role.HOUSEHOLD}, order=11)
    add_nav_item(lazy("Rounds and reasons"), "/tenant/rounds", {Role.HOUSEHOLD}, order=16)
    add_nav_item(lazy("Review requests"), "/staff/reviews", {Role.ALLOCATION_OFFICER}, order=47)
    add_nav_item(lazy("Offer settings"), "/admin/offers/policy", {Role.ADMINISTRATOR}, order=87)


def startup_hooks() -> Sequence[Callable[..., Any]]:
    return []


def task_modules() -> list[str]:
    """Modules holding ``@task`` functions; the worker imports them before it runs jobs."""
    return [
        "sra.jobs.housekeeping",
        "sra.mail.tasks",
        "sra.identity.tasks",
        "sra.households.renewal",
        "sra.files.removal",
        "sra.households.document_store",
        "matching.offer_expiry",
        "matching.round_jobs",
    ]
