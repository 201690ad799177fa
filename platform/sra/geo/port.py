"""The geocoding port and the choice of adapter from the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import msgspec

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from sra.settings import Settings


class GeoPoint(msgspec.Struct, frozen=True):
    lat: float
    lon: float


class Place(msgspec.Struct, frozen=True):
    """A postcode (empty when the source knows only the municipality) with its coordinates."""

    postcode: str
    municipality: str
    country: str
    lat: float
    lon: float


class Geocoder(Protocol):
    async def locate(self, postcode: str, municipality: str, country: str) -> GeoPoint | None:
        """Coordinates of the address, or None when it cannot be resolved."""
        ...

    async def suggest(self, country: str, prefix: str) -> list[Place]:
        """Up to 10 places whose postcode (or municipality name) starts with ``prefix``."""
        ...


def geocoder_for(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession] | None = None
) -> Geocoder:
    """The geocoder chosen by ``SRA_GEOCODER`` (the Nominatim one needs ``session_maker``)."""
    if settings.geocoder == "nominatim":
        from sra.geo.nominatim import NominatimGeocoder

        if session_maker is None:
            raise ValueError("the Nominatim geocoder needs a session maker for its cache")
        return NominatimGeocoder(settings.nominatim_url, session_maker)
    from sra.geo.gazetteer import Gazetteer

    return Gazetteer.shared()
