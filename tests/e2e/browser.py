"""Debian's Chromium driven by Playwright's sync API, and the steps every journey shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
from playwright.sync_api import Browser, Page, Playwright, Response

from tests.e2e.accounts import Account

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach Google on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}; "
    "run `apt-get install chromium` to run the browser tests"
)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@contextmanager
def visitor(browser: Browser, locale: str = "en-GB") -> Iterator[Page]:
    """A fresh browser profile (no cookies) asking for ``locale``, as a first-time visitor."""
    context = browser.new_context(locale=locale)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def submit(page: Page, form: str) -> Response | None:
    """Press the submit button of ``form``; wait for the page it leads to and return its answer."""
    with page.expect_navigation() as navigation:
        page.locator(f"{form} [type=submit]").first.click()
    return navigation.value


def sign_in(page: Page, base_url: str, account: Account) -> None:
    """Sign in through the real forms; staff also give the code from their authenticator."""
    page.goto(f"{base_url}/login")
    page.locator("input[name=email]").fill(account.email)
    page.locator("input[name=password]").fill(account.password)
    submit(page, "form:has(input[name=password])")
    if account.totp_secret:
        assert page.url.split("?", 1)[0] == f"{base_url}/login/second-factor", page.url
        page.locator("input[name=code]").fill(pyotp.TOTP(account.totp_secret).now())
        submit(page, "form:has(input[name=code])")
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}{re.escape(account.home)}$"))


def choose_language(page: Page, code: str) -> None:
    """Use the language switcher in the header, as a person would."""
    page.locator("#locale-select").select_option(code)
    submit(page, "form:has(#locale-select)")


def sign_out(page: Page) -> None:
    submit(page, "form[action='/logout']")
