"""Geocoding: turn a postcode and municipality into coordinates (ARCHITECTURE.md, ``sra.geo``).

Use :func:`geocoder_for` to get the configured :class:`Geocoder`:

* ``gazetteer`` (default): open data shipped in packages from the registry, no network.
  Belgium and Poland by postcode (+ municipality), Czechia by municipality name.
* ``nominatim``: a Nominatim server at ``SRA_NOMINATIM_URL`` through geopy, rate limited to one
  request a second, answers (also "not found") cached in the ``geocode_cache`` table.

``locate`` returns ``None`` when the address is unknown: the form then shows "unknown postcode"
beside the field, and an intake officer can place the building by setting ``Building.lat`` and
``Building.lon`` directly.
"""

from __future__ import annotations

from sra.geo.port import Geocoder, GeoPoint, Place, geocoder_for
from sra.geo.postcodes import normalise_postcode, postcode_problem

__all__ = [
    "GeoPoint",
    "Geocoder",
    "Place",
    "geocoder_for",
    "normalise_postcode",
    "postcode_problem",
]
