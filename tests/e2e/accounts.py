"""The demo sign-ins, read from the data `sra seed-demo` loads, and where each role lands."""

from __future__ import annotations

from dataclasses import dataclass

from sra.identity.roles import Role
from sra_app.demo_cli import load_demo_data


@dataclass(frozen=True)
class Account:
    role: Role
    email: str
    password: str
    totp_secret: str | None
    locale: str  # the language the account's pages open in, until the person changes it
    home: str  # the dashboard the role lands on
    heading: str  # message id of the dashboard's <h1> and of its navigation entry


def _home(role: Role) -> tuple[str, str]:
    if role is Role.LANDLORD:
        return "/landlord", "My flats"
    if role is Role.HOUSEHOLD:
        return "/tenant", "My home search"
    return "/staff", "Staff dashboard"


def _account(
    role: Role, email: str, password: str, locale: str, secret: str | None = None
) -> Account:
    home, heading = _home(role)
    return Account(role, email, password, secret, locale, home, heading)


def demo_accounts() -> list[Account]:
    """Every demo user that can sign in, in the order of the demo file."""
    data = load_demo_data()
    accounts = [
        _account(Role.LANDLORD, x.email, x.password, x.locale) for x in data.landlords if x.password
    ]
    accounts += [
        _account(Role.HOUSEHOLD, x.email, x.password, x.locale)
        for x in data.households
        if x.email and x.password
    ]
    # Staff have no language of their own: they get the browser's (English in these tests).
    accounts += [_account(s.role, s.email, s.password, "en", s.totp_secret) for s in data.staff]
    return accounts


def demo_account(role: Role, index: int = 0) -> Account:
    """The ``index``-th demo account of ``role``: tests that change an account use their own."""
    return [a for a in demo_accounts() if a.role is role][index]


def account_not_in(role: Role, locale: str) -> Account:
    """A demo account of ``role`` whose own language is not ``locale``."""
    return next(a for a in demo_accounts() if a.role is role and a.locale != locale)
