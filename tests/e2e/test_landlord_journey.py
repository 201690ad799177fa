"""Issue 4 done, in a real browser: a landlord registers (confirming the address from the mail),
completes the profile, offers a flat with two photos and a guarantee package and sends it; the
intake officer plans and records the inspection, approves the flat and proposes the head lease;
the landlord accepts it and downloads the contract; the allocation officer then finds the flat
available. Once in French and once in Ukrainian, on SQLite and on PostgreSQL.

Pages are driven by URLs and form field names. Visible text is compared with what the catalog
of the page's language says (tests.e2e.journey_steps.in_locale), so a string left untranslated
fails the journey.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from contracts.packages import PACKAGE_KIND_LABEL, PackageKind
from sra.identity.roles import Role
from sra.register.inspection import CHECK_ITEMS
from sra.register.labels import UNIT_STATUS
from sra.register.models import UnitStatus
from tests.e2e.accounts import Account, demo_account
from tests.e2e.browser import sign_in, visitor
from tests.e2e.conftest import LiveSite
from tests.e2e.journey_steps import (
    PASSWORD,
    UUID,
    follow,
    in_locale,
    page_locale,
    register_and_confirm,
    send,
)

pytestmark = pytest.mark.browser

NAMES = {"fr": "Camille Exemple", "uk": "Олена Приклад"}
IBAN = "BE68 5390 0754 7034"  # the textbook fictional Belgian IBAN (valid check digits)
BIC = "GKCCBEBB"  # its bank code names no bank, so the BIC is typed (the form's own example)
POSTCODE, MUNICIPALITY = "1050", "Ixelles"  # a real Brussels postcode and its municipality
GUARANTEED_RENT, TENANT_RENT = "800", "650"


def status_line(locale: str, status: UnitStatus) -> str:
    return f"{in_locale(locale, 'Status')}: {in_locale(locale, UNIT_STATUS[status])}"


def pictures(folder: Path) -> list[Path]:
    """Two small real pictures, one PNG and one JPEG."""
    made = []
    for name, colour, kind in (("living-room.png", "#c84", "PNG"), ("kitchen.jpg", "#48c", "JPEG")):
        image = Image.new("RGB", (320, 240), colour)
        ImageDraw.Draw(image).rectangle((40, 40, 280, 200), outline="white", width=6)
        image.save(folder / name, format=kind)
        made.append(folder / name)
    return made


def pdf_language_and_title(pdf: bytes) -> tuple[str, str]:
    """The /Lang and /Title WeasyPrint writes into the PDF's (compressed) object streams."""
    found = b""
    # Up to "endstream" with the end-of-line before it: compressed data may end in a CR byte,
    # which "\r?\nendstream" would cut off; decompressobj leaves the end-of-line unused.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            found += zlib.decompressobj().decompress(stream)
        except zlib.error:
            continue  # not a Flate stream (an image, say)
    lang = re.search(rb"/Lang \((\w+)\)", found)
    title = re.search(rb"/Title <feff([0-9a-f]+)>", found)
    assert lang, "the contract does not say its language"
    assert title, "the contract has no title"
    return lang.group(1).decode(), bytes.fromhex(title.group(1).decode()).decode("utf-16-be")


# The landlord's side -------------------------------------------------------------------------


def register_landlord(page: Page, site: LiveSite, locale: str) -> Account:
    email = register_and_confirm(page, site, locale, "landlord", NAMES[locale])
    return Account(Role.LANDLORD, email, PASSWORD, None, locale, "/landlord", "My flats")


def complete_profile(page: Page, base: str, locale: str) -> None:
    page.goto(f"{base}/landlord/profile")
    page.locator("input[name=kind][value=person]").check()
    page.locator("#f-street").fill("Rue de l'Exemple 7")
    page.locator("#f-postcode").fill(POSTCODE)
    page.locator("#f-municipality").fill(MUNICIPALITY)
    page.locator("#f-country").select_option("BE")
    page.locator("#f-locale").select_option(locale)
    page.locator("#f-iban").fill(IBAN)
    page.locator("#f-bic").fill(BIC)
    page.locator("input[name=consent]").check()
    send(page, "form[action='/landlord/profile']")
    assert page.url == f"{base}/landlord/profile?done=saved"
    expect(page.locator("p.notice[role=status]")).to_have_text(
        in_locale(locale, "Your profile is saved.")
    )
    expect(page.locator("form[action='/landlord/profile']")).to_contain_text(IBAN)


def head_lease_package(page: Page, base: str) -> str:
    """The id of a head-lease package, from the package list the landlord's portal offers."""
    response = page.request.get(f"{base}/api/v1/packages")
    assert response.ok, response.status
    return next(str(p["id"]) for p in response.json() if p["kind"] == "head_lease")


def offer_flat(page: Page, base: str, label: str, package_id: str) -> str:
    """Fill in the new-flat form (a new building) and return the new unit's id."""
    page.goto(f"{base}/landlord/units/new")
    typed = {
        "street": "Rue du Parcours 12",
        "postcode": POSTCODE,
        "municipality": MUNICIPALITY,
        "floors": "4",
        "label": label,
        "floor": "2",
        "bedrooms": "2",
        "surface_m2": "68",
        "min_occupants": "2",
        "max_occupants": "4",
        "proposed_rent": "750",
        "charges": "90",
        "available_from": (date.today() + timedelta(days=30)).isoformat(),
        "description": "Bright flat near the tram, double glazing, gas heating.",
    }
    for name, value in typed.items():
        page.locator(f"#f-{name}").fill(value)
    page.locator("#f-country").select_option("BE")
    page.locator("#f-unit_type").select_option("apartment")
    page.locator("#f-energy_label").select_option("C")
    page.locator("input[name=has_lift]").check()
    page.locator("input[name=step_free]").check()
    page.locator(f"input[name=package_id][value='{package_id}']").check()
    send(page, "form[action='/landlord/units/new']")
    found = re.fullmatch(rf"{re.escape(base)}/landlord/units/({UUID})", page.url)
    assert found, page.url
    return found.group(1)


def add_photos(page: Page, unit_id: str, label: str, files: list[Path], locale: str) -> None:
    for count, path in enumerate(files, start=1):
        page.locator("#f-photo").set_input_files(path)
        send(page, f"form[action='/landlord/units/{unit_id}/photos']")
        expect(page.locator("ul.photos img")).to_have_count(count)
    # The thumbnails the server made are pictures the browser can show.
    shown = page.locator("ul.photos img").evaluate_all(
        "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"
    )
    assert shown, "a photo thumbnail does not display"
    alt = in_locale(locale, "Photo %(num)d of %(label)s") % {"num": 2, "label": label}
    expect(page.locator("ul.photos img").nth(1)).to_have_attribute("alt", alt)


def send_to_agency(page: Page, unit_id: str, locale: str) -> None:
    send(page, f"form[action='/landlord/units/{unit_id}/submit']")
    expect(page.locator("section.card h2").first).to_have_text(
        status_line(locale, UnitStatus.SUBMITTED)
    )


def accept_head_lease(page: Page, base: str, lease_id: str, unit_id: str) -> None:
    """From the dashboard to the proposed terms, and accept them."""
    page.goto(f"{base}/landlord")
    row = page.locator(f"tr:has(a[href='/landlord/units/{unit_id}'])")
    with page.expect_navigation():
        row.locator(f"a[href='/landlord/leases/{lease_id}']").click()
    page.locator("input[name=read_and_accept]").check()
    send(page, f"form[action='/landlord/leases/{lease_id}/accept']")
    assert page.url == f"{base}/landlord/leases/{lease_id}"


def download_contract(page: Page, base: str, lease_id: str) -> bytes:
    """Download the contract as a person would; it is the file whose fingerprint is shown."""
    fingerprint = page.locator("code").inner_text().strip()
    href = f"/landlord/leases/{lease_id}/contract.pdf"
    with page.expect_download() as download:
        page.locator(f"a[href='{href}']").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == fingerprint
    again = page.request.get(f"{base}{href}")
    assert again.ok
    assert again.body() == pdf, "the contract changed between two downloads"
    return pdf


# The intake officer's side -------------------------------------------------------------------


def expect_staff_status(officer: Page, status: UnitStatus) -> None:
    expect(officer.locator("main")).to_contain_text(status_line(page_locale(officer), status))


def plan_visit(officer: Page, unit_id: str) -> None:
    officer.locator("#f-on").fill(date.today().isoformat())
    officer.locator("#f-at").fill("10:00")
    officer.locator("#f-inspector").select_option(index=1)
    send(officer, f"form[action='/staff/intake/units/{unit_id}/schedule']")
    expect_staff_status(officer, UnitStatus.INSPECTION_SCHEDULED)


def record_inspection(officer: Page, unit_id: str, photo: Path) -> None:
    follow(officer, f"/staff/intake/units/{unit_id}/inspection")
    in_order = officer.locator("input[type=radio][name^='check_'][value=ok]")
    expect(in_order).to_have_count(len(CHECK_ITEMS))
    for radio in in_order.all():
        radio.check()
    officer.locator("#f-smoke_detectors_count").fill("2")
    officer.locator("input[name=smoke_detectors_ok][value=yes]").check()
    officer.locator("#f-energy_label").select_option("C")
    officer.locator("#f-meter_electricity_kwh").fill("12345.6")
    officer.locator("#f-meter_gas_m3").fill("2345.1")
    officer.locator("#f-meter_water_m3").fill("345.2")
    officer.locator("#f-notes").fill("All in order; keys handed over.")
    officer.locator("#f-photos").set_input_files(photo)
    send(officer, f"form[action='/staff/intake/units/{unit_id}/inspection']")
    expect_staff_status(officer, UnitStatus.INSPECTED)


def approve(officer: Page, unit_id: str) -> None:
    officer.locator("#f-guaranteed_rent").fill(GUARANTEED_RENT)
    officer.locator("#f-tenant_rent").fill(TENANT_RENT)
    send(officer, f"form[action='/staff/intake/units/{unit_id}/approve']")
    expect_staff_status(officer, UnitStatus.APPROVED)


def propose_head_lease(officer: Page, base: str, unit_id: str, package_id: str) -> str:
    """Propose the terms (the landlord's package and the agreed rent); the new lease's id."""
    follow(officer, f"/staff/leases/new?unit={unit_id}")
    expect(officer.locator("#f-package")).to_have_value(package_id)
    expect(officer.locator("#f-guaranteed_rent")).to_have_value(GUARANTEED_RENT)
    send(officer, "form[action='/staff/leases/new']")
    found = re.fullmatch(rf"{re.escape(base)}/staff/leases/({UUID})", officer.url)
    assert found, officer.url
    return found.group(1)


def intake(browser: Browser, base: str, unit_id: str, package_id: str, photo: Path) -> str:
    """The intake officer inspects and approves the flat; returns the proposed lease's id."""
    with visitor(browser) as officer:
        sign_in(officer, base, demo_account(Role.INTAKE_OFFICER))
        officer.goto(f"{base}/staff/intake")
        follow(officer, f"/staff/intake/units/{unit_id}")
        expect_staff_status(officer, UnitStatus.SUBMITTED)
        plan_visit(officer, unit_id)
        record_inspection(officer, unit_id, photo)
        approve(officer, unit_id)
        return propose_head_lease(officer, base, unit_id, package_id)


def allocation_sees_available(browser: Browser, base: str, unit_id: str, label: str) -> None:
    with visitor(browser) as officer:
        sign_in(officer, base, demo_account(Role.ALLOCATION_OFFICER))
        response = officer.request.get(f"{base}/api/v1/units?status=available")
        assert response.ok, response.status
        units = {unit["id"]: unit for unit in response.json()}
        assert unit_id in units, "the flat is not in the allocation officer's available units"
        unit = units[unit_id]
        assert unit["status"] == "available"
        assert (unit["guaranteed_rent_cents"], unit["tenant_rent_cents"]) == (80_000, 65_000)
        assert len(unit["photos"]) == 2
        officer.goto(f"{base}/staff/units/available")
        expect(officer.locator("main tbody tr", has_text=label)).to_have_count(1)


# The journey ---------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["fr", "uk"])
def test_landlords_flat_becomes_available_once_the_head_lease_is_accepted(
    page: Page, browser: Browser, live_site: LiveSite, locale: str, tmp_path: Path
) -> None:
    base = live_site.url
    label = f"Flat {locale.upper()}-{uuid4().hex[:6]}"
    photos = pictures(tmp_path)

    landlord = register_landlord(page, live_site, locale)
    sign_in(page, base, landlord)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator("h1")).to_have_text(in_locale(locale, landlord.heading))
    complete_profile(page, base, locale)
    package_id = head_lease_package(page, base)
    unit_id = offer_flat(page, base, label, package_id)
    add_photos(page, unit_id, label, photos, locale)
    send_to_agency(page, unit_id, locale)

    lease_id = intake(browser, base, unit_id, package_id, photos[1])

    accept_head_lease(page, base, lease_id, unit_id)
    contract = download_contract(page, base, lease_id)
    language, title = pdf_language_and_title(contract)
    assert language == locale, "the contract is not in the landlord's language"
    assert title.startswith(in_locale(locale, PACKAGE_KIND_LABEL[PackageKind.HEAD_LEASE]))
    page.goto(f"{base}/landlord/units/{unit_id}")
    expect(page.locator("section.card h2").first).to_have_text(
        status_line(locale, UnitStatus.AVAILABLE)
    )

    allocation_sees_available(browser, base, unit_id, label)
