"""Issue 5 done, in a real browser: a household registers in Ukrainian (confirming the address
from the mail), fills its needs profile (an adult and two children, two incomes, a wheelchair,
a place from the gazetteer, displaced by war, consent), uploads an identity document and a
proof of income and sends the application; an allocation officer checks it from the
verification queue and verifies it; the household then reads its priority points with the
reason for each rule that applies. On SQLite and on PostgreSQL.

Pages are driven by URLs and form field names. Visible text is compared with what the catalog
of the page's language says (tests.e2e.journey_steps.in_locale), so a string left untranslated
fails the journey.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import msgspec
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from sra.households.document_store import DOCUMENT_KIND
from sra.households.documents import DocumentKind
from sra.households.facts import HouseholdFacts
from sra.households.points import SchemeRules, Score, score
from sra.households.profile_form import CONSENT_PURPOSE, ETHOS
from sra.households.verification import CHECK_ITEMS
from sra.identity.roles import Role
from sra.register.labels import HOUSEHOLD_STATUS, RELATION
from sra.register.models import HouseholdStatus, IncomeSource, MemberRelation
from tests.e2e.accounts import Account, demo_account
from tests.e2e.browser import sign_in, visitor
from tests.e2e.conftest import LiveSite
from tests.e2e.journey_steps import (
    PASSWORD,
    UUID,
    in_locale,
    page_locale,
    register_and_confirm,
    send,
)

pytestmark = pytest.mark.browser

NAME = "Олена Приклад"
THIS_YEAR = date.today().year
# The applicant and two children (aged 9 and 5): one adult, two children on any day of the year.
MEMBERS = (
    ("Олена", MemberRelation.APPLICANT, THIS_YEAR - 38),
    ("Марко", MemberRelation.CHILD, THIS_YEAR - 9),
    ("Софія", MemberRelation.CHILD, THIS_YEAR - 5),
)
INCOMES = ((IncomeSource.BENEFITS, "1150"), (IncomeSource.CHILD_BENEFIT, "350,50"))
MONTHLY_INCOME_CENTS = 150_050
PLACE, PLACE_NAME = "1030", "1030 Schaerbeek"  # a Brussels postcode, as the gazetteer names it
RECEPTION_CENTRE = 5  # ETHOS: "a reception centre or housing for refugees or migrants"
# The facts the officer verifies, as the household typed them: the points come from these.
FACTS = HouseholdFacts(
    adults=1,
    children=2,
    monthly_income_cents=MONTHLY_INCOME_CENTS,
    ethos_category=RECEPTION_CENTRE,
    displaced=True,
    disability=True,  # a wheelchair user counts for the disability rule
)


def documents(folder: Path) -> dict[DocumentKind, Path]:
    """A scanned identity card as PNG and a benefit letter as PDF, both real files."""
    card = Image.new("RGB", (480, 300), "#dde6f0")
    ImageDraw.Draw(card).rectangle((20, 20, 160, 200), outline="#333", width=4)
    card.save(folder / "identity-card.png", format="PNG")
    letter = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(letter)
    for line in range(12):
        draw.line((60, 120 + 40 * line, 535, 120 + 40 * line), fill="#888", width=2)
    letter.save(folder / "benefit-letter.pdf", format="PDF")
    return {
        DocumentKind.IDENTITY: folder / "identity-card.png",
        DocumentKind.INCOME: folder / "benefit-letter.pdf",
    }


def expect_saved(page: Page, url: str, locale: str) -> None:
    assert page.url == f"{url}?done=saved", page.url
    expect(page.locator("p.notice[role=status]")).to_have_text(in_locale(locale, "Saved."))


# The household's side ------------------------------------------------------------------------


def register_household(page: Page, site: LiveSite, locale: str) -> Account:
    email = register_and_confirm(page, site, locale, "household", NAME)
    return Account(Role.HOUSEHOLD, email, PASSWORD, None, locale, "/tenant", "My home search")


def add_members(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/members"
    page.goto(url)
    for count, (first_name, relation, year) in enumerate(MEMBERS, start=1):
        page.locator("#f-first_name").fill(first_name)
        page.locator("#f-relation").select_option(relation.value)
        page.locator("#f-birth_year").fill(str(year))
        send(page, "form[action='/tenant/profile/members']")
        expect_saved(page, url, locale)
        expect(page.locator("main tbody tr")).to_have_count(count)
    child = in_locale(locale, RELATION[MemberRelation.CHILD])
    children = page.locator("main tbody tr", has_text=child)
    expect(children).to_have_count(2)


def add_incomes(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/incomes"
    page.goto(url)
    for count, (source, amount) in enumerate(INCOMES, start=1):
        page.locator("#f-source").select_option(source.value)
        page.locator("#f-amount").fill(amount)
        send(page, "form[action='/tenant/profile/incomes']")
        expect_saved(page, url, locale)
        expect(page.locator("main tbody tr")).to_have_count(count)


def tell_needs(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/needs"
    page.goto(url)
    wheelchair = page.locator("label.choice", has=page.locator("input[name=wheelchair]"))
    expect(wheelchair).to_contain_text(
        in_locale(locale, "Someone in my household uses a wheelchair.")
    )
    page.locator("input[name=wheelchair]").check()
    send(page, "form[action='/tenant/profile/needs']")
    expect_saved(page, url, locale)
    expect(page.locator("input[name=wheelchair]")).to_be_checked()
    # A wheelchair user needs a home without steps, whether or not that box was ticked.
    expect(page.locator("input[name=step_free]")).to_be_checked()


def choose_area(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/areas"
    page.goto(url)
    page.locator("#f-place").fill(PLACE)
    send(page, "form[action='/tenant/profile/areas']")
    expect_saved(page, url, locale)
    expect(page.locator("ul.areas li")).to_have_count(1)
    expect(page.locator("ul.areas li")).to_contain_text(PLACE_NAME)
    page.locator("#f-max_distance_km").fill("10")
    page.locator("#f-max_rent").fill("750")
    send(page, "form[action='/tenant/profile/areas/limits']")
    expect_saved(page, url, locale)
    expect(page.locator("#f-max_distance_km")).to_have_value("10")


def tell_situation(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/situation"
    page.goto(url)
    choice = page.locator(f"input[name=ethos_category][value='{RECEPTION_CENTRE}']")
    label = page.locator("label.choice", has=choice)
    expect(label).to_have_text(in_locale(locale, ETHOS[RECEPTION_CENTRE]))
    choice.check()
    page.locator("input[name=displaced]").check()
    send(page, "form[action='/tenant/profile/situation']")
    expect_saved(page, url, locale)
    expect(choice).to_be_checked()
    expect(page.locator("input[name=displaced]")).to_be_checked()


def give_consent(page: Page, base: str, locale: str) -> None:
    url = f"{base}/tenant/profile/consent"
    page.goto(url)
    expect(page.locator("main section.card p")).to_have_text(in_locale(locale, CONSENT_PURPOSE))
    page.locator("input[name=consent]").check()
    send(page, "form[action='/tenant/profile/consent']")
    expect_saved(page, url, locale)
    expect(page.locator("input[name=consent]")).to_be_checked()


def upload_documents(page: Page, base: str, files: dict[DocumentKind, Path], locale: str) -> None:
    page.goto(f"{base}/tenant/documents")
    for count, (kind, path) in enumerate(files.items(), start=1):
        page.locator("#f-kind").select_option(kind.value)
        page.locator("#f-file").set_input_files(path)
        send(page, "form[action='/tenant/documents']")
        assert page.url == f"{base}/tenant/documents?done=added", page.url
        expect(page.locator("p.notice[role=status]")).to_have_text(
            in_locale(locale, "Your document is saved.")
        )
        expect(page.locator("main tbody tr")).to_have_count(count)
        row = page.locator("main tbody tr", has_text=path.name)
        expect(row.locator("td").first).to_have_text(in_locale(locale, DOCUMENT_KIND[kind]))


def send_application(page: Page, base: str, locale: str) -> str:
    """Send the complete application; returns the household's reference."""
    page.goto(f"{base}/tenant/profile")
    expect(page.locator("ul.missing")).to_have_count(0)
    send(page, "form[action='/tenant/profile/submit']")
    assert page.url == f"{base}/tenant/profile?done=sent", page.url
    expect(page.locator("p.notice[role=status]")).to_have_text(
        in_locale(locale, "Your application was sent. An officer will check it; we will tell you.")
    )
    expect_application_status(page, locale, HouseholdStatus.SUBMITTED)
    profile = page.request.get(f"{base}/api/v1/profile")
    assert profile.ok, profile.status
    assert profile.json()["status"] == HouseholdStatus.SUBMITTED.value
    reference: str = profile.json()["reference"]
    return reference


def expect_application_status(page: Page, locale: str, status: HouseholdStatus) -> None:
    status_text = in_locale(locale, HOUSEHOLD_STATUS[status])
    heading = in_locale(locale, "Your application: %(status)s") % {"status": status_text}
    expect(page.locator("#application-title")).to_have_text(heading)


def expected_score(page: Page, base: str) -> Score:
    """What the agency's published scheme gives for the facts the household told."""
    published = page.request.get(f"{base}/api/v1/points-scheme")
    assert published.ok, published.status
    rules = msgspec.convert(published.json()["rules"], SchemeRules)
    return score(FACTS, rules)


def read_points(page: Page, base: str, expected: Score, locale: str) -> None:
    """Every rule that applies is one reason line, in the household's language."""
    page.goto(f"{base}/tenant/points")
    expect(page.locator("h1")).to_have_text(in_locale(locale, "My priority points"))
    total = in_locale(locale, "Your priority: %(urgency)s of 1000") % {"urgency": expected.urgency}
    expect(page.locator("#total-title")).to_have_text(total)
    reasons = page.locator("section[aria-labelledby=reasons-title] tbody tr")
    assert len(expected.lines) >= 5, "income, ETHOS, displaced, disability and children apply"
    expect(reasons).to_have_count(len(expected.lines))
    for row, line in zip(reasons.all(), expected.lines, strict=True):
        expect(row.locator("td").nth(0)).to_have_text(in_locale(locale, line.reason) % line.params)
        expect(row.locator("td").nth(1)).to_have_text(str(line.points))
    footer = page.locator("section[aria-labelledby=reasons-title] tfoot td")
    expect(footer).to_have_text(str(expected.raw_total))


# The allocation officer's side ---------------------------------------------------------------


def open_from_queue(officer: Page, base: str, reference: str) -> str:
    """From the verification queue to the household's page; returns the household's id."""
    officer.goto(f"{base}/staff/households/verification")
    expect(officer.locator("h1")).to_have_text(in_locale(page_locale(officer), "Verification"))
    row = officer.locator("main tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(in_locale(page_locale(officer), "New application"))
    with officer.expect_navigation():
        row.locator("a", has_text=reference).click()
    found = re.fullmatch(rf"{re.escape(base)}/staff/households/({UUID})", officer.url)
    assert found, officer.url
    return found.group(1)


def look_at_documents(officer: Page, base: str) -> None:
    """The identity card shows as a picture; the proof of income is the PDF uploaded."""
    documents = officer.locator("ul.documents li")
    expect(documents).to_have_count(2)
    picture = officer.locator("ul.documents img")
    expect(picture).to_have_count(1)
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("i => i.naturalWidth > 0"), "the identity document does not display"
    href = officer.locator("ul.documents a", has_text="benefit-letter.pdf").get_attribute("href")
    answer = officer.request.get(f"{base}{href}")
    assert answer.ok, answer.status
    assert answer.body().startswith(b"%PDF-")


def verify(officer: Page, base: str, household_id: str) -> None:
    """Tick every item of the checklist (each read in the officer's language) and verify."""
    locale = page_locale(officer)
    expect(officer.locator("input[type=checkbox][name^='check_']")).to_have_count(len(CHECK_ITEMS))
    for name, label in CHECK_ITEMS.items():
        box = officer.locator(f"input[type=checkbox][name='check_{name}']")
        expect(officer.locator("label", has=box)).to_have_text(in_locale(locale, label))
        box.check()
    send(officer, f"form[action='/staff/households/{household_id}/verify']")
    assert officer.url == f"{base}/staff/households/{household_id}", officer.url
    active = in_locale(locale, HOUSEHOLD_STATUS[HouseholdStatus.ACTIVE])
    expect(officer.locator("main h1 + p")).to_contain_text(active)
    decision = officer.locator("section[aria-labelledby=decisions-title] li")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text(in_locale(locale, "verified"))


def verification(browser: Browser, base: str, reference: str) -> None:
    # Staff have no language of their own: this officer's browser asks for Ukrainian.
    with visitor(browser, locale="uk-UA") as officer:
        sign_in(officer, base, demo_account(Role.ALLOCATION_OFFICER))
        expect(officer.locator("html")).to_have_attribute("lang", "uk")
        household_id = open_from_queue(officer, base, reference)
        look_at_documents(officer, base)
        verify(officer, base, household_id)


# The journey ---------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["uk"])
def test_household_sees_its_points_with_a_reason_per_rule_once_verified(
    page: Page, browser: Browser, live_site: LiveSite, locale: str, tmp_path: Path
) -> None:
    base = live_site.url
    files = documents(tmp_path)

    household = register_household(page, live_site, locale)
    sign_in(page, base, household)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator("h1")).to_have_text(in_locale(locale, household.heading))
    add_members(page, base, locale)
    add_incomes(page, base, locale)
    tell_needs(page, base, locale)
    choose_area(page, base, locale)
    tell_situation(page, base, locale)
    give_consent(page, base, locale)
    upload_documents(page, base, files, locale)
    reference = send_application(page, base, locale)

    verification(browser, base, reference)

    page.goto(f"{base}/tenant/profile")
    expect_application_status(page, locale, HouseholdStatus.ACTIVE)
    read_points(page, base, expected_score(page, base), locale)
