"""Administrator pages: staff accounts, deactivation, second-factor reset."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.forms import Errors, check_display_name, check_email, field
from sra.identity.models import User
from sra.identity.pages.request_info import client_ip, page
from sra.identity.passwords import MIN_LENGTH
from sra.identity.registration import the_agency
from sra.identity.roles import STAFF_ROLES, Role
from sra.identity.service import (
    create_user,
    email_taken,
    list_users,
    reset_second_factor,
    set_active,
)
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

ROLE_LABELS: dict[Role, str] = {
    Role.LANDLORD: lazy("Landlord"),
    Role.HOUSEHOLD: lazy("Household"),
    Role.INTAKE_OFFICER: lazy("Intake officer"),
    Role.ALLOCATION_OFFICER: lazy("Allocation officer"),
    Role.FINANCE_OFFICER: lazy("Finance officer"),
    Role.CASEWORKER: lazy("Caseworker"),
    Role.MANAGER: lazy("Manager"),
    Role.ADMINISTRATOR: lazy("Administrator"),
}
STAFF_CHOICES = [role for role in Role if role in STAFF_ROLES]


def _role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


async def _staff_errors(db_session: AsyncSession, values: dict[str, str], password: str) -> Errors:
    errors: Errors = {}
    for name, error in (
        ("email", check_email(values["email"])),
        ("display_name", check_display_name(values["display_name"])),
    ):
        if error:
            errors[name] = error
    if "email" not in errors and await email_taken(db_session, values["email"]):
        errors["email"] = _("This e-mail address already has an account.")
    if _role(values["role"]) not in STAFF_ROLES:
        errors["role"] = _("Please choose a staff role.")
    if len(password) < MIN_LENGTH:
        errors["password"] = _("The password must have at least {n} characters.").format(
            n=MIN_LENGTH
        )
    return errors


async def _user_or_404(db_session: AsyncSession, user_id: UUID) -> User:
    user = await db_session.get(User, user_id)
    if user is None:
        raise NotFoundException()
    return user


class AdminUsersController(Controller):
    path = "/admin/users"
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def users(
        self, db_session: NamedDependency[AsyncSession], role: FromQuery[str] = ""
    ) -> Response[Any]:
        chosen = _role(role)
        return page(
            "admin/users.html",
            users=await list_users(db_session, chosen),
            chosen=chosen.value if chosen else "",
            roles=list(Role),
            role_labels=ROLE_LABELS,
        )

    @get("/new")
    async def new_form(self) -> Response[Any]:
        return page("admin/user_new.html", values={}, roles=STAFF_CHOICES, role_labels=ROLE_LABELS)

    @post("/new")
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        form = await request.form()
        values = {name: field(form, name) for name in ("email", "display_name", "role")}
        password = field(form, "password", strip=False)
        errors = await _staff_errors(db_session, values, password)
        if errors:
            return page(
                "admin/user_new.html",
                400,
                values=values,
                errors=errors,
                roles=STAFF_CHOICES,
                role_labels=ROLE_LABELS,
            )
        admin = caller(request)
        agency = await the_agency(db_session)
        user = await create_user(
            db_session,
            email=values["email"],
            display_name=values["display_name"],
            role=Role(values["role"]),
            password=password,
            agency_id=agency.id if agency else admin.agency_id,
            actor_id=admin.id,
            actor_label=admin.display_name,
            ip_address=client_ip(request),
        )
        return Redirect(f"/admin/users/{user.id}?done=created", status_code=303)

    @get("/{user_id:uuid}")
    async def detail(
        self,
        request: AnyRequest,
        user_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        notices = {
            "created": _(
                "The account is created. At first sign-in the person sets up the code app."
            ),
            "deactivated": _("The account is deactivated and signed out everywhere."),
            "reactivated": _("The account is active again."),
            "second_factor_reset": _(
                "The second factor is reset. At next sign-in the person sets up the code app again."
            ),
        }
        return page(
            "admin/user_detail.html",
            user=await _user_or_404(db_session, user_id),
            role_labels=ROLE_LABELS,
            is_self=caller(request).id == user_id,
            notice=notices.get(request.query_params.get("done", "")),
        )

    @post("/{user_id:uuid}/deactivate", status_code=303)
    async def deactivate(
        self,
        request: AnyRequest,
        user_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        return await self._set_active(request, user_id, db_session, active=False)

    @post("/{user_id:uuid}/reactivate", status_code=303)
    async def reactivate(
        self,
        request: AnyRequest,
        user_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        return await self._set_active(request, user_id, db_session, active=True)

    async def _set_active(
        self,
        request: AnyRequest,
        user_id: FromPath[UUID],
        db_session: AsyncSession,
        *,
        active: bool,
    ) -> Response[Any]:
        admin = caller(request)
        user = await _user_or_404(db_session, user_id)
        if user.id == admin.id and not active:
            return page(
                "message.html",
                400,
                title=_("Not possible"),
                message=_("You cannot deactivate your own account."),
                link=(f"/admin/users/{user.id}", _("Back to the account")),
            )
        await set_active(
            db_session,
            user,
            active,
            actor_id=admin.id,
            actor_label=admin.display_name,
            ip_address=client_ip(request),
        )
        done = "reactivated" if active else "deactivated"
        return Redirect(f"/admin/users/{user.id}?done={done}", status_code=303)

    @post("/{user_id:uuid}/reset-second-factor", status_code=303)
    async def reset_totp(
        self,
        request: AnyRequest,
        user_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        admin = caller(request)
        user = await _user_or_404(db_session, user_id)
        await reset_second_factor(
            db_session,
            user,
            actor_id=admin.id,
            actor_label=admin.display_name,
            ip_address=client_ip(request),
        )
        return Redirect(f"/admin/users/{user.id}?done=second_factor_reset", status_code=303)
