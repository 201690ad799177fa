"""The offline gazetteer resolves real Belgian, Polish and Czech addresses from packaged data."""

from __future__ import annotations

import math

import pytest

from sra.geo import GeoPoint, geocoder_for, normalise_postcode, postcode_problem
from sra.geo.gazetteer import Gazetteer
from sra.settings import Settings


def km_between(a: GeoPoint, lat: float, lon: float) -> float:
    """Rough distance (equirectangular), good enough to say "in that town"."""
    x = math.radians(lon - a.lon) * math.cos(math.radians((lat + a.lat) / 2))
    y = math.radians(lat - a.lat)
    return 6371 * math.hypot(x, y)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(
    ("postcode", "municipality", "country", "lat", "lon"),
    [
        ("1000", "Bruxelles", "BE", 50.85, 4.35),
        ("9000", "Gent", "BE", 51.05, 3.72),
        ("4000", "Liège", "BE", 50.63, 5.57),
        ("00-001", "Warszawa", "PL", 52.23, 21.01),
        ("31-042", "Kraków", "PL", 50.06, 19.94),
        ("80-001", "Gdańsk", "PL", 54.35, 18.65),
        ("110 00", "Praha", "CZ", 50.08, 14.42),
        ("60200", "Brno", "CZ", 49.19, 16.61),
        ("370 01", "České Budějovice", "CZ", 48.97, 14.47),
    ],
)
async def test_real_postcodes_resolve_to_their_town(
    gazetteer: Gazetteer, postcode: str, municipality: str, country: str, lat: float, lon: float
) -> None:
    point = await gazetteer.locate(postcode, municipality, country)

    assert point is not None
    assert km_between(point, lat, lon) < 15


async def test_czech_municipality_matches_without_accents_or_case(gazetteer: Gazetteer) -> None:
    with_accents = await gazetteer.locate("37001", "České Budějovice", "CZ")

    assert await gazetteer.locate("37001", "ceske budejovice", "CZ") == with_accents


async def test_polish_postcode_without_dash_is_accepted(gazetteer: Gazetteer) -> None:
    assert await gazetteer.locate("00001", "Warszawa", "PL") == await gazetteer.locate(
        "00-001", "Warszawa", "PL"
    )


@pytest.mark.parametrize(
    ("postcode", "municipality", "country"),
    [
        ("0999", "Nowhere", "BE"),  # right shape, no such postcode
        ("99-999", "Nigdzie", "PL"),
        ("999 99", "Nikde", "CZ"),
        ("ABCD", "Bruxelles", "BE"),  # wrong shape
        ("", "Bruxelles", "BE"),
        ("75001", "Paris", "FR"),  # a country the agencies do not serve
    ],
)
async def test_unknown_address_gives_none(
    gazetteer: Gazetteer, postcode: str, municipality: str, country: str
) -> None:
    assert await gazetteer.locate(postcode, municipality, country) is None


async def test_suggestions_by_postcode_prefix_and_by_name(gazetteer: Gazetteer) -> None:
    by_code = await gazetteer.suggest("BE", "10")
    by_name = await gazetteer.suggest("PL", "Krak")

    assert 0 < len(by_code) <= 10
    assert all(p.postcode.startswith("10") and p.country == "BE" for p in by_code)
    assert by_code[0].postcode == "1000"
    assert by_name
    assert all(p.municipality.startswith("Krak") for p in by_name)


async def test_czech_suggestions_carry_coordinates_and_clean_names(gazetteer: Gazetteer) -> None:
    places = await gazetteer.suggest("CZ", "Brno")

    assert places
    assert all(not p.municipality.endswith("x)") for p in places)
    assert all(km_between(GeoPoint(p.lat, p.lon), 49.19, 16.61) < 20 for p in places)


def test_postcodes_are_normalised_per_country() -> None:
    assert normalise_postcode(" 1000 ", "BE") == "1000"
    assert normalise_postcode("00001", "PL") == "00-001"
    assert normalise_postcode("110 00", "CZ") == "11000"
    assert normalise_postcode("10000", "BE") is None


def test_postcode_problem_names_the_expected_shape() -> None:
    assert postcode_problem("1000", "BE") is None
    assert postcode_problem("", "BE") == "Please enter the postcode."
    assert "four digits" in (postcode_problem("100", "BE") or "")
    assert "00-001" in (postcode_problem("0000", "PL") or "")
    assert "five digits" in (postcode_problem("1100", "CZ") or "")
    assert postcode_problem("75001", "FR") is not None


def test_gazetteer_is_the_default_geocoder() -> None:
    assert isinstance(geocoder_for(Settings()), Gazetteer)
    assert geocoder_for(Settings()) is geocoder_for(Settings())
