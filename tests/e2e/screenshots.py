"""Screenshots of the landing page and the three portals for the README (`make screenshots`).

Runs the real server on a throw-away SQLite database with the demo data, signs in as a
landlord, a household and a staff member, and writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from playwright.sync_api import Browser, sync_playwright

from sra.identity.roles import Role
from tests.e2e.accounts import demo_account
from tests.e2e.browser import CHROMIUM, MISSING_CHROMIUM, choose_language, launch, sign_in
from tests.e2e.live import live_server

OUT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


class Shot(NamedTuple):
    role: Role | None  # None: a visitor who has not signed in
    path: str = ""  # the page after signing in; "" for the role's own start page
    locale: str = "en"  # the README is in English; one shot shows a household's own language
    follow: str = ""  # then open the first link matching this CSS selector


SHOTS = {
    "landing.png": Shot(None),
    "landlord.png": Shot(Role.LANDLORD),
    "tenant.png": Shot(Role.HOUSEHOLD),
    "tenant-points-uk.png": Shot(Role.HOUSEHOLD, "/tenant/points", "uk"),
    "tenant-profile.png": Shot(Role.HOUSEHOLD, "/tenant/profile"),
    "staff.png": Shot(Role.MANAGER),
    "staff-register.png": Shot(Role.ALLOCATION_OFFICER, "/staff/households"),
    "staff-verification.png": Shot(Role.ALLOCATION_OFFICER, "/staff/households/verification"),
    "staff-round.png": Shot(
        Role.ALLOCATION_OFFICER,
        "/staff/rounds",
        follow="main a[href^='/staff/rounds/']:not([href='/staff/rounds/new'])",
    ),
    "tenant-round-uk.png": Shot(
        Role.HOUSEHOLD, "/tenant/rounds", "uk", follow="main a[href^='/tenant/rounds/']"
    ),
}


def _shoot(browser: Browser, base_url: str, shot: Shot, target: Path) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    try:
        page = context.new_page()
        if shot.role is None:
            page.goto(base_url)
        else:
            sign_in(page, base_url, demo_account(shot.role))
            # Demo accounts open in their owners' languages; choose the shot's.
            choose_language(page, shot.locale)
            if shot.path:
                page.goto(base_url + shot.path)
            if shot.follow:
                page.locator(shot.follow).first.click()
                page.wait_for_load_state()
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()


def take_screenshots(out_dir: Path = OUT_DIR) -> list[Path]:
    if not CHROMIUM.exists():
        raise SystemExit(MISSING_CHROMIUM)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sra-screenshots-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite+aiosqlite:///{workdir / 'sra.sqlite3'}"
        with live_server(url, workdir) as base_url, sync_playwright() as playwright:
            browser = launch(playwright)
            for name, shot in SHOTS.items():
                _shoot(browser, base_url, shot, out_dir / name)
                written.append(out_dir / name)
            browser.close()
    return written


if __name__ == "__main__":
    for path in take_screenshots():
        sys.stdout.write(f"wrote {path}\n")
