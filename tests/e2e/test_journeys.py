"""Each role signs in through the real pages, reaches its dashboard, switches the language
and signs out; households meet the walls between parties. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from playwright.sync_api import Page, expect

from sra.i18n import gettext, use_locale
from sra.identity.roles import Role
from tests.e2e.accounts import account_not_in, demo_account
from tests.e2e.browser import choose_language, sign_in, sign_out

pytestmark = pytest.mark.browser


def in_locale(locale: str, message: str) -> str:
    with use_locale(locale):
        return gettext(message)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_signs_in_reads_its_dashboard_in_ukrainian_and_signs_out(
    page: Page, server: str, role: Role
) -> None:
    # Choosing a language is stored on the account: this account is used by no other test.
    account = account_not_in(role, "uk")

    sign_in(page, server, account)
    expect(page.locator("h1")).to_have_text(in_locale(account.locale, account.heading))

    choose_language(page, "uk")
    assert page.url == f"{server}{account.home}"
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    ukrainian = in_locale("uk", account.heading)
    assert ukrainian != account.heading, f"the uk catalog does not translate {account.heading!r}"
    expect(page.locator(f"nav.mainnav a[href='{account.home}']")).to_have_text(ukrainian)

    sign_out(page)
    expect(page.locator("form[action='/logout']")).to_have_count(0)
    expect(page.locator("header a[href='/login']")).to_be_visible()
    page.goto(f"{server}{account.home}")
    expect(page).to_have_url(re.compile(rf"^{re.escape(server)}/login\?next="))


def test_household_opening_staff_dashboard_gets_not_allowed_page(page: Page, server: str) -> None:
    household = demo_account(Role.HOUSEHOLD, -1)
    sign_in(page, server, household)

    response = page.goto(f"{server}/staff")

    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(in_locale(household.locale, "Not allowed"))
    assert page.url == f"{server}/staff"


def test_household_opening_another_households_record_gets_not_found(
    page: Page, server: str, household_ids: dict[str, UUID]
) -> None:
    reader, other = demo_account(Role.HOUSEHOLD, -2), demo_account(Role.HOUSEHOLD, 0)
    sign_in(page, server, reader)

    own = page.goto(f"{server}/api/v1/households/{household_ids[reader.email]}")
    assert own is not None
    assert own.status == 200
    foreign = page.goto(f"{server}/api/v1/households/{household_ids[other.email]}")

    assert foreign is not None
    assert foreign.status == 404
    assert foreign.headers["content-type"].startswith("application/problem+json")
