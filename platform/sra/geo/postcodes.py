"""Postcode shapes per country, and the name normalisation the gazetteer matches on."""

from __future__ import annotations

import re
import unicodedata

from sra.i18n import lazy

# Canonical forms: Belgium 1000, Poland 00-001, Czechia 110 00 is stored as 11000.
_SHAPES = {
    "BE": (re.compile(r"^\d{4}$"), lazy("A Belgian postcode has four digits, for example 1000.")),
    "PL": (
        re.compile(r"^\d{2}-?\d{3}$"),
        lazy("A Polish postcode looks like 00-001: two digits, a dash, three digits."),
    ),
    "CZ": (
        re.compile(r"^\d{3} ?\d{2}$"),
        lazy("A Czech postcode has five digits, for example 110 00."),
    ),
}


def normalise_postcode(postcode: str, country: str) -> str | None:
    """The canonical postcode (``1000``, ``00-001``, ``11000``), or None when its shape is wrong."""
    shape = _SHAPES.get(country.upper())
    value = postcode.strip()
    if shape is None or not shape[0].match(value):
        return None
    digits = value.replace("-", "").replace(" ", "")
    return f"{digits[:2]}-{digits[2:]}" if country.upper() == "PL" else digits


def postcode_problem(postcode: str, country: str) -> str | None:
    """An untranslated msgid saying what is wrong with the postcode's shape, or None."""
    if country.upper() not in _SHAPES:
        return lazy("Buildings can be in Belgium, Poland or Czechia only.")
    if not postcode.strip():
        return lazy("Please enter the postcode.")
    if normalise_postcode(postcode, country) is None:
        return _SHAPES[country.upper()][1]
    return None


def name_key(name: str) -> str:
    """A municipality name reduced for matching: no accents, case or punctuation differences."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("ł", "l").replace("Ł", "L")  # ł has no decomposition
    return " ".join(re.sub(r"[^\w]+", " ", bare.casefold()).split())
