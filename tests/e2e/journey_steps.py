"""Steps the journeys share: reading text as a page's language shows it, sending forms that
must be accepted, following links, and opening an account confirmed from its mail.

Visible text is compared with what the catalog of the page's language says (sra.i18n), so a
string left untranslated fails the journey.
"""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from uuid import uuid4

from playwright.sync_api import Page, expect

from sra.i18n import gettext, use_locale
from tests.e2e.browser import choose_language, submit
from tests.e2e.conftest import LiveSite
from tests.e2e.live import outbox_of, run_jobs_once

PASSWORD = "journey-pass-0123"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def in_locale(locale: str, message: str) -> str:
    """``message`` as the catalog of ``locale`` has it; a missing translation fails the test."""
    with use_locale(locale):
        text = gettext(message)
    assert locale == "en" or text != message, f"the {locale} catalog does not translate {message!r}"
    return text


def page_locale(page: Page) -> str:
    """The language the page is shown in (staff keep whatever language they chose)."""
    return page.locator("html").get_attribute("lang") or ""


def send(page: Page, form: str) -> None:
    """Submit ``form`` and insist it was accepted (a refused form re-renders with 400)."""
    response = submit(page, form)
    refused = page.locator(".field-error, .alert").all_inner_texts()
    assert response is not None, f"no page after submitting {form}"
    assert response.ok, f"{form} answered {response.status}: {refused}"


def follow(page: Page, href: str) -> None:
    """Click the link to ``href`` on the page, as a person would."""
    with page.expect_navigation():
        page.locator(f"a[href='{href}']").first.click()


def confirmation_link(site: LiveSite, email: str, locale: str) -> str:
    """Deliver the queued mail as the worker would, and read the link from the mail to ``email``."""
    run_jobs_once(site.database_url, site.workdir, site.url)
    for path in sorted(outbox_of(site.workdir).glob("*.eml")):
        mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if mail["To"] != email:
            continue
        assert mail["Subject"] == in_locale(locale, "Please confirm your e-mail address")
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        found = re.search(rf"{re.escape(site.url)}/confirm/\S+", body.get_content())
        assert found, f"no confirmation link in the mail to {email}"
        return found.group(0)
    raise AssertionError(f"no mail to {email} in {outbox_of(site.workdir)}")


def register_and_confirm(page: Page, site: LiveSite, locale: str, kind: str, name: str) -> str:
    """Open a ``kind`` account (landlord or household) in ``locale`` through the real pages and
    confirm it from the mail; returns its new e-mail address (the password is PASSWORD)."""
    page.goto(site.url)
    choose_language(page, locale)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    page.goto(f"{site.url}/register?as={kind}")
    expect(page.locator(f"input[name=as][value={kind}]")).to_be_checked()
    email = f"{kind}-{locale}-{uuid4().hex[:10]}@example.org"
    page.locator("#f-display_name").fill(name)
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-password_confirm").fill(PASSWORD)
    send(page, "form[action='/register']")
    assert page.url == f"{site.url}/register/sent"

    page.goto(confirmation_link(site, email, locale))
    assert page.url == f"{site.url}/login?done=confirmed"
    expect(page.locator("p.notice")).to_have_text(
        in_locale(locale, "Your e-mail address is confirmed. You can sign in now.")
    )
    return email
