"""Languages: Babel catalogs for en, fr, nl, pl, cs, uk and locale negotiation.

Catalogs are the ``.po`` files under ``sra/i18n/locale``; they are read and compiled in
memory once per process, so there is no build step. ``gettext`` translates into the
locale of the current request (a context variable the web middleware sets).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES: tuple[str, ...] = ("en", "fr", "nl", "pl", "cs", "uk")
CATALOG_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("sra_locale", default="en")


def language_name(code: str) -> str:
    """The language's own name for itself: Français, Nederlands, Українська, ..."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def catalog_path(locale: str) -> Path:
    return CATALOG_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    path = catalog_path(locale)
    if not path.exists():
        return Translations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else "en")


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate into ``locale`` inside the block (e-mails to a user in their own language)."""
    token = _current.set(locale if locale in LOCALES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ungettext(singular, plural, n)


def lazy(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


_ = gettext


def negotiate(chosen: str | None, accept_language: str | None, default: str) -> str:
    """The user's choice, else the best Accept-Language match, else the agency default."""
    if chosen in LOCALES:
        return chosen
    for tag in _accepted(accept_language or ""):
        primary = tag.split("-", 1)[0].lower()
        if primary in LOCALES:
            return primary
    return default if default in LOCALES else "en"


def _accepted(header: str) -> list[str]:
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _q, _p, tag in sorted(weighted)]
