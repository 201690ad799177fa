"""Accounts an officer opens for a household without e-mail, and their activation by code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.identity.current import CurrentUser
from sra.identity.models import TokenPurpose, User
from sra.identity.passwords import hash_password_async
from sra.identity.registration import AgencyMissing, add_household, the_agency
from sra.identity.roles import Role
from sra.identity.service import create_user, normalise_username
from sra.identity.tokens import (
    ACTIVATION_VALID,
    find_valid_token,
    issue_token,
    new_activation_code,
    normalise_code,
    use_token,
)
from sra.register.models import Household


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    user: User
    household: Household
    code: str  # shown once, on paper; only its hash is kept


async def open_household_account(
    session: AsyncSession,
    *,
    display_name: str,
    username: str,
    locale: str,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> OpenedAccount:
    agency = await the_agency(session)
    if agency is None:
        raise AgencyMissing()
    user = await create_user(
        session,
        email=None,
        username=username,
        display_name=display_name,
        role=Role.HOUSEHOLD,
        password=None,
        agency_id=agency.id,
        locale=locale,
        actor_id=actor.id,
        actor_label=actor.display_name,
        ip_address=ip_address,
    )
    household = await add_household(session, agency, user, user.display_name, locale)
    code = await issue_token(
        session, user, TokenPurpose.ACTIVATION, ACTIVATION_VALID, secret=new_activation_code()
    )
    return OpenedAccount(user=user, household=household, code=code)


async def new_activation_code_for(session: AsyncSession, user: User, actor: CurrentUser) -> str:
    """A fresh code for a household that lost theirs (the old one stops working)."""
    code = await issue_token(
        session, user, TokenPurpose.ACTIVATION, ACTIVATION_VALID, secret=new_activation_code()
    )
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="user.activation_code_issued",
        entity="user",
        entity_id=user.id,
        after={"username": user.username},
    )
    return code


async def activate(
    session: AsyncSession, *, username: str, code: str, password: str
) -> User | None:
    """Set the first password with the code from paper; None if username and code do not match."""
    found = await find_valid_token(session, TokenPurpose.ACTIVATION, normalise_code(code))
    if found is None:
        return None
    token, user = found
    if user.username != normalise_username(username) or not user.is_active:
        return None
    if not await use_token(session, token):
        return None
    user.password_hash = await hash_password_async(password)
    await audit.record(
        session,
        actor_id=user.id,
        actor_label=user.display_name,
        action="user.activated",
        entity="user",
        entity_id=user.id,
        after={"password_hash": user.password_hash},
    )
    await session.flush()
    return user
