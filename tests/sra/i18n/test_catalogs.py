"""Every string the code and templates show is translated in every shipped catalog."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from sra.i18n import LOCALES, catalog_path, gettext, negotiate, use_locale
from sra.i18n.extract import extract_template, untranslated


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    template = extract_template()
    return {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_translates_every_string_used_in_code_and_templates(
    locale: str, source_ids: set[str]
) -> None:
    with catalog_path(locale).open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = sorted(source_ids - catalog_ids)
    empty = sorted(set(untranslated(catalog)) & source_ids)
    assert not missing, f"{locale}: run `make messages`; not in catalog: {missing[:5]}"
    assert not empty, f"{locale}: {len(empty)} untranslated, e.g. {empty[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_placeholders_match_the_source(locale: str) -> None:
    with catalog_path(locale).open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []


def test_gettext_uses_the_current_locale() -> None:
    with use_locale("fr"):
        french = gettext("Sign in")
    with use_locale("uk"):
        ukrainian = gettext("Sign in")
    assert gettext("Sign in") == "Sign in"
    assert len({french, ukrainian, "Sign in"}) == 3


@pytest.mark.parametrize(
    ("chosen", "header", "default", "expected"),
    [
        ("pl", "fr", "en", "pl"),
        (None, "de-DE,uk;q=0.8,fr;q=0.9", "en", "fr"),
        (None, "de, es;q=0.5", "nl", "nl"),
        ("xx", "cs-CZ", "en", "cs"),
        (None, "", "fr", "fr"),
        (None, "uk;q=0, pl;q=0.1", "en", "pl"),
    ],
)
def test_locale_is_the_users_choice_then_accept_language_then_agency_default(
    chosen: str | None, header: str, default: str, expected: str
) -> None:
    assert negotiate(chosen, header, default) == expected
