"""Geocoding through a Nominatim server (``SRA_GEOCODER=nominatim``, ``SRA_NOMINATIM_URL``).

geopy makes the requests; its RateLimiter keeps to one request a second per server (the
public Nominatim's usage policy), shared by every geocoder in the process. Answers, including
"not found", are kept in the ``geocode_cache`` table so an address is asked for only once;
a failed request (server down, timeout) is not cached, so it is tried again next time.

The cache is written in its own short transaction: call ``locate`` before the request's own
session has written anything (on SQLite a second writer would wait for the first).
"""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.geo.cache import GeocodeCache
from sra.geo.port import GeoPoint, Place
from sra.geo.postcodes import name_key, normalise_postcode

log = logging.getLogger(__name__)

USER_AGENT = "sra-platform (social rental agency register)"
TIMEOUT_SECONDS = 10


@cache
def _limited_geocode(url: str, min_delay_seconds: float, error_wait_seconds: float) -> Any:
    """geopy's geocode for ``url`` behind one RateLimiter per server and process."""
    from geopy.adapters import URLLibAdapter
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    parts = urlsplit(url)
    geolocator = Nominatim(
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        user_agent=USER_AGENT,
        timeout=TIMEOUT_SECONDS,
        adapter_factory=URLLibAdapter,
    )
    return RateLimiter(
        geolocator.geocode,
        min_delay_seconds=min_delay_seconds,
        max_retries=1,
        error_wait_seconds=error_wait_seconds,
        swallow_exceptions=False,
    )


def cache_key(postcode: str, municipality: str, country: str) -> str:
    country = country.upper()
    code = normalise_postcode(postcode, country) or postcode.strip().upper()
    return f"{country}|{code}|{name_key(municipality)}"


class NominatimGeocoder:
    """A :class:`~sra.geo.port.Geocoder` asking a Nominatim server, with a database cache."""

    def __init__(
        self,
        url: str,
        session_maker: async_sessionmaker[AsyncSession],
        *,
        min_delay_seconds: float = 1.0,
        error_wait_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self.session_maker = session_maker
        self.min_delay_seconds = min_delay_seconds
        self.error_wait_seconds = error_wait_seconds

    async def locate(self, postcode: str, municipality: str, country: str) -> GeoPoint | None:
        key = cache_key(postcode, municipality, country)
        async with self.session_maker() as session:
            cached = await session.scalar(select(GeocodeCache).where(GeocodeCache.query == key))
        if cached is not None:
            if cached.found and cached.lat is not None and cached.lon is not None:
                return GeoPoint(cached.lat, cached.lon)
            return None
        try:
            point = await asyncio.to_thread(self._ask, postcode, municipality, country)
        except Exception as exc:  # geopy raises GeopyError and lets some socket errors through
            log.warning("Nominatim at %s did not answer: %s", self.url, exc)
            return None
        await self._remember(key, point)
        return point

    def _ask(self, postcode: str, municipality: str, country: str) -> GeoPoint | None:
        geocode = _limited_geocode(self.url, self.min_delay_seconds, self.error_wait_seconds)
        query = {"postalcode": postcode.strip(), "city": municipality.strip()}
        location = geocode(query, country_codes=country.lower(), exactly_one=True)
        if location is None:
            return None
        return GeoPoint(float(location.latitude), float(location.longitude))

    async def _remember(self, key: str, point: GeoPoint | None) -> None:
        row = GeocodeCache(
            query=key,
            found=point is not None,
            lat=point.lat if point else None,
            lon=point.lon if point else None,
        )
        try:
            async with self.session_maker() as session, session.begin():
                session.add(row)
        except SQLAlchemyError as exc:  # e.g. the same address cached meanwhile: harmless
            log.info("geocode cache not written for %s: %s", key, exc)

    async def suggest(self, country: str, prefix: str) -> list[Place]:
        """Nominatim's search is not meant for autocomplete; the gazetteer's lists serve."""
        from sra.geo.gazetteer import Gazetteer

        return await Gazetteer.shared().suggest(country, prefix)
