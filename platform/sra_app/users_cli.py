"""``sra create-user``: a staff account from the command line (the first administrator)."""

from __future__ import annotations

from sra.identity.forms import check_display_name, check_email
from sra.identity.passwords import MIN_LENGTH
from sra.identity.roles import STAFF_ROLES, Role
from sra.settings import Settings


class UserInputError(ValueError):
    """Input the person can fix; the message is one line."""


def _check(email: str, display_name: str, role: Role, password: str) -> None:
    if check_email(email.strip()):
        raise UserInputError(f"--email: {email!r} is not an e-mail address")
    if check_display_name(display_name.strip()):
        raise UserInputError("--name: give a name of 1 to 200 characters")
    if role not in STAFF_ROLES:
        raise UserInputError(f"--role: {role.value} is not a staff role")
    if len(password) < MIN_LENGTH:
        raise UserInputError(f"password: use at least {MIN_LENGTH} characters")


async def create_staff_user(
    settings: Settings, email: str, display_name: str, role: Role, password: str
) -> None:
    """Create a confirmed staff account; the person sets up the second factor at first sign-in."""
    from sra.db import make_engine, make_sessionmaker
    from sra.identity.registration import the_agency
    from sra.identity.service import create_user, email_taken

    _check(email, display_name, role, password)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if await email_taken(session, email):
                raise UserInputError(f"--email: {email.strip().lower()} already has an account")
            agency = await the_agency(session)
            await create_user(
                session,
                email=email,
                display_name=display_name,
                role=role,
                password=password,
                agency_id=agency.id if agency else None,
                actor_label="command line",
            )
    finally:
        await engine.dispose()
