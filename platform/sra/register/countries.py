"""ISO 3166-1 alpha-2 country codes, from the CLDR data Babel ships (no download, no package)."""

from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR territories that are not ISO 3166-1 countries: regions, unions, private-use and
# exceptionally reserved codes.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def iso_countries() -> frozenset[str]:
    codes = {
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
    }
    return frozenset(codes - _NOT_COUNTRIES)


def check_country(code: str) -> str:
    """The code itself when it is an ISO country code (upper case), else ValueError."""
    if code not in iso_countries():
        raise ValueError(f"not an ISO 3166-1 alpha-2 country code: {code!r}")
    return code
