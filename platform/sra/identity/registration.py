"""Accounts people open themselves: landlords and households register, then confirm by e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra import audit
from sra.identity.mails import send_already_registered, send_confirmation
from sra.identity.models import TokenPurpose, User
from sra.identity.roles import Role
from sra.identity.service import create_user, find_by_identifier
from sra.identity.tokens import CONFIRM_VALID, find_valid_token, issue_token, use_token
from sra.register.models import Agency, Household, HouseholdStatus, Landlord, LandlordKind
from sra.settings import Settings


class AccountKind(StrEnum):
    LANDLORD = "landlord"
    HOUSEHOLD = "household"


class AgencyMissing(Exception):
    """No agency row yet: nobody can register before the agency is set up."""


async def the_agency(session: AsyncSession) -> Agency | None:
    return (await session.scalars(select(Agency).order_by(Agency.created_at).limit(1))).first()


async def next_household_reference(session: AsyncSession, on: date) -> str:
    """The next free reference of the year: H-2026-000001, H-2026-000002, ..."""
    prefix = f"H-{on.year}-"
    last = await session.scalar(
        select(func.max(Household.reference)).where(Household.reference.startswith(prefix))
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


async def add_household(
    session: AsyncSession, agency: Agency, user: User, name: str, locale: str
) -> Household:
    today = datetime.now(UTC).date()
    household = Household(
        agency_id=agency.id,
        user_id=user.id,
        reference=await next_household_reference(session, today),
        name=name,
        email=user.email,
        locale=locale,
        status=HouseholdStatus.DRAFT,
        registered_on=today,
    )
    session.add(household)
    await session.flush()
    return household


async def register_self(
    session: AsyncSession,
    settings: Settings,
    *,
    kind: AccountKind,
    display_name: str,
    email: str,
    password: str,
    locale: str,
    ip_address: str | None = None,
) -> User | None:
    """Open an unconfirmed account and its register record, and mail the confirmation link.

    Returns None when the address already has an account: its owner gets a mail instead, so
    the form never tells a stranger which addresses are registered.
    """
    agency = await the_agency(session)
    if agency is None:
        raise AgencyMissing()
    existing = await find_by_identifier(session, email)
    if existing is not None:
        await send_already_registered(session, settings, existing)
        return None
    user = await create_user(
        session,
        email=email,
        display_name=display_name,
        role=Role.LANDLORD if kind is AccountKind.LANDLORD else Role.HOUSEHOLD,
        password=password,
        agency_id=agency.id,
        locale=locale,
        email_confirmed=False,
        actor_label="self-registration",
        ip_address=ip_address,
    )
    if kind is AccountKind.LANDLORD:
        session.add(
            Landlord(
                agency_id=agency.id,
                user_id=user.id,
                kind=LandlordKind.PERSON,
                name=user.display_name,
                email=user.email,
                locale=locale,
            )
        )
    else:
        await add_household(session, agency, user, user.display_name, locale)
    token = await issue_token(session, user, TokenPurpose.CONFIRM, CONFIRM_VALID)
    await send_confirmation(session, settings, user, token)
    await session.flush()
    return user


async def confirm_email(session: AsyncSession, token_value: str) -> User | None:
    found = await find_valid_token(session, TokenPurpose.CONFIRM, token_value)
    if found is None:
        return None
    token, user = found
    if not await use_token(session, token):
        return None
    user.email_confirmed_at = datetime.now(UTC)
    await audit.record(
        session,
        actor_id=user.id,
        actor_label=user.display_name,
        action="user.email_confirmed",
        entity="user",
        entity_id=user.id,
        after={"email": user.email},
    )
    await session.flush()
    return user
