"""Great-circle distances exactly as geopy computes them, fast where it does not matter.

The contract defines d(h, u) as `geopy.distance.great_circle(p, u).km`, bit for bit.
`great_circle_km` repeats geopy's `great_circle.measure` operation by operation (same
`math` calls, same order), so it returns the same float; a test compares the two on random
and edge-case points. It runs in pure Python, so it is kept for the few pairs where a last
bit could change an outcome. All other pairs go through NumPy: unit vectors, chord lengths,
one arcsine. That estimate is within ~1e-10 km of geopy's value (different formula, NumPy's
own trigonometry), and `ESTIMATE_SLACK_KM` is a hundred times that error.
"""

from __future__ import annotations

import math
from math import atan2, cos, sin, sqrt

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.009  # geopy.distance.EARTH_RADIUS
ESTIMATE_SLACK_KM = 1e-8
# Chord estimates lose precision close to antipodal points (arcsine near 1): exact there.
_NEAR_ANTIPODE_HALF_CHORD_SQ = 0.9975

FloatArray = npt.NDArray[np.float64]


def great_circle_km(p_lat: float, p_lon: float, u_lat: float, u_lon: float) -> float:
    """geopy.distance.great_circle((p_lat, p_lon), (u_lat, u_lon)).km, for lat/lon in range."""
    lat1, lng1 = math.radians(p_lat), math.radians(p_lon)
    lat2, lng2 = math.radians(u_lat), math.radians(u_lon)
    sin_lat1, cos_lat1 = sin(lat1), cos(lat1)
    sin_lat2, cos_lat2 = sin(lat2), cos(lat2)
    delta_lng = lng2 - lng1
    cos_delta_lng, sin_delta_lng = cos(delta_lng), sin(delta_lng)
    d = atan2(
        sqrt(
            (cos_lat2 * sin_delta_lng) ** 2
            + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2
        ),
        sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng,
    )
    # geopy's Distance starts from 0 and adds units.kilometers() (0.0): x + 0.0 is x here.
    return EARTH_RADIUS_KM * d


def nearest_km(locations: list[tuple[float, float]], u_lat: float, u_lon: float) -> float:
    """The exact d(h, u): the smallest distance from one of h's locations, 0 without any."""
    if not locations:
        return 0.0
    return min(great_circle_km(lat, lon, u_lat, u_lon) for lat, lon in locations)


def unit_vectors(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Points on the unit sphere, as three coordinate arrays."""
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def chord_sq(a: tuple[FloatArray, ...], b: tuple[FloatArray, ...]) -> FloatArray:
    """Squared chord between points a[i] and b[i]: accurate also for close points."""
    total = np.subtract(a[0], b[0])
    total *= total
    for axis in (1, 2):
        diff = np.subtract(a[axis], b[axis])
        diff *= diff
        total += diff
    return total


def chord_sq_of_km(km: FloatArray) -> FloatArray:
    out: FloatArray = (2.0 * np.sin(km / (2.0 * EARTH_RADIUS_KM))) ** 2
    return out


def chord_sq_to_km(c2: FloatArray) -> FloatArray:
    half = np.sqrt(np.minimum(c2, 4.0)) / 2.0
    km: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(half)
    return km


def near_antipode(c2: FloatArray) -> npt.NDArray[np.bool_]:
    flags: npt.NDArray[np.bool_] = c2 / 4.0 > _NEAR_ANTIPODE_HALF_CHORD_SQ
    return flags


def near_half_metre(km: FloatArray) -> npt.NDArray[np.bool_]:
    """Estimates whose metres could round either way (round(d * 1000) near x.5)."""
    metres = km * 1000.0
    frac = metres - np.floor(metres)
    flags: npt.NDArray[np.bool_] = np.abs(frac - 0.5) < ESTIMATE_SLACK_KM * 1000.0
    return flags
