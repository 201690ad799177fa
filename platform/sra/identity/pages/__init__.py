"""The identity pages and API: sign-in, registration, recovery, administration."""

from __future__ import annotations

from typing import Any

from sra.i18n import lazy

# The navigation labels sra_app.wiring adds for these pages, marked here for the extractor.
NAV_LABELS = (lazy("Users"), lazy("Open a household account"))


def identity_pages() -> list[Any]:
    from sra.identity.pages.account import AccountController
    from sra.identity.pages.admin import AdminUsersController
    from sra.identity.pages.household_accounts import HouseholdAccountsController
    from sra.identity.pages.signin import SignInController

    return [SignInController, AccountController, AdminUsersController, HouseholdAccountsController]


def identity_api() -> list[Any]:
    from sra.identity.pages.api import me

    return [me]
