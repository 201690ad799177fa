"""The Nominatim adapter asks a (local, fake) server through geopy and caches every answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from sra.db import make_sessionmaker
from sra.geo import GeoPoint, geocoder_for
from sra.geo.cache import GeocodeCache
from sra.geo.nominatim import NominatimGeocoder
from sra.settings import Settings
from tests.sra.geo.fake_nominatim import FakeNominatim, fake_nominatim


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    with fake_nominatim() as fake:
        yield fake


@pytest.fixture
def maker(engine: AsyncEngine, clean_database: None) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


def geocoder(server: FakeNominatim, maker: async_sessionmaker[AsyncSession]) -> NominatimGeocoder:
    return NominatimGeocoder(server.url, maker, min_delay_seconds=0, error_wait_seconds=0)


async def test_settings_choose_nominatim(
    server: FakeNominatim, maker: async_sessionmaker[AsyncSession]
) -> None:
    settings = Settings(geocoder="nominatim", nominatim_url=server.url)

    chosen = geocoder_for(settings, maker)

    assert isinstance(chosen, NominatimGeocoder)
    assert chosen.url == server.url


async def test_found_address_is_asked_once_then_served_from_the_cache(
    server: FakeNominatim, maker: async_sessionmaker[AsyncSession]
) -> None:
    first = await geocoder(server, maker).locate("1000", "Bruxelles", "BE")
    second = await geocoder(server, maker).locate(" 1000", "BRUXELLES ", "be")

    assert first == GeoPoint(50.8467, 4.3525)
    assert second == first
    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent["postalcode"] == ["1000"]
    assert sent["city"] == ["Bruxelles"]
    assert sent["countrycodes"] == ["be"]
    async with maker() as session:
        row = await session.scalar(select(GeocodeCache))
    assert row is not None
    assert row.found
    assert (row.lat, row.lon) == (50.8467, 4.3525)


async def test_not_found_is_cached_too(
    server: FakeNominatim, maker: async_sessionmaker[AsyncSession]
) -> None:
    assert await geocoder(server, maker).locate("9999", "Nulle part", "BE") is None
    assert await geocoder(server, maker).locate("9999", "Nulle part", "BE") is None

    assert len(server.requests) == 1
    async with maker() as session:
        row = await session.scalar(select(GeocodeCache))
    assert row is not None
    assert not row.found


async def test_a_failing_server_gives_none_and_is_asked_again_later(
    server: FakeNominatim, maker: async_sessionmaker[AsyncSession]
) -> None:
    server.failing = True
    assert await geocoder(server, maker).locate("1000", "Bruxelles", "BE") is None
    asked = len(server.requests)
    assert asked >= 1

    server.failing = False
    assert await geocoder(server, maker).locate("1000", "Bruxelles", "BE") is not None
    assert len(server.requests) == asked + 1
