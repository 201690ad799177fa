"""Extract every translatable string and update the six catalogs: ``python -m sra.i18n.extract``.

Strings come from Python (``_``, ``gettext``, ``ngettext``, ``lazy``) and Jinja2 templates. The
English catalog is filled with the source text; the others keep their translations and get new,
empty entries for new strings (the completeness test then fails until someone translates them).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from sra.i18n import LOCALES, catalog_path

ROOT = Path(__file__).resolve().parents[3]
SOURCE_DIRS = (
    "platform/sra",
    "platform/sra_app",
    "matching",
    "contracts",
    "support",
    "landlord_portal",
    "tenant_portal",
)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy": None}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _messages() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    for folder in SOURCE_DIRS:
        path = ROOT / folder
        if not path.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            path, METHOD_MAP, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
        ):
            yield f"{folder}/{filename}", lineno, message, comments, context


def extract_template() -> Catalog:
    template = Catalog(project="sra-platform", msgid_bugs_address="", fuzzy=False)
    for filename, lineno, message, comments, context in _messages():
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update_catalogs(template: Catalog) -> dict[str, int]:
    """Merge the template into each locale's catalog; returns untranslated counts per locale."""
    missing: dict[str, int] = {}
    for locale in LOCALES:
        path = catalog_path(locale)
        if path.exists():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="sra-platform", fuzzy=False)
        # update() reuses the template's message objects: give each locale its own copy.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if locale == "en":
            for message in catalog:
                if message.id and message in untranslated_messages(catalog):
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalog, width=100, sort_output=True, omit_header=False)
        missing[locale] = len(untranslated(catalog))
    return missing


def untranslated_messages(catalog: Catalog) -> list[Message]:
    out: list[Message] = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message)
    return out


def untranslated(catalog: Catalog) -> list[str]:
    return [m.id if isinstance(m.id, str) else m.id[0] for m in untranslated_messages(catalog)]


def main() -> None:
    template = extract_template()
    for locale, count in update_catalogs(template).items():
        print(f"{locale}: {len(template)} messages, {count} untranslated")  # noqa: T201


if __name__ == "__main__":
    main()
