"""Which units a location can reach, as a few ranges of columns.

Units are laid out in cells of latitude, and by longitude inside a cell. Around a location,
the units within max_distance_km lie in the cells its latitude band crosses, and inside
each cell within a longitude window; both bounds are safe (never too narrow), so the
ranges hold every unit in reach and some that are not (matching.eligibility decides those).

- No two points are closer than R times their difference in latitude.
- By the haversine identity, hav(d / R) >= cos(lat1) cos(lat2) hav(dlon), which bounds the
  difference in longitude once the latitudes are bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.distance import EARTH_RADIUS_KM

IntpArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

_SLACK_KM = 1e-6  # reach is widened this much: far more than any float error
_SLACK_DEGREES = 1e-6
_MAX_CELLS = 16  # a location crossing more cells gets one range over whole cells
_KEY_STRIDE = 720.0  # cell * stride + lon + 180 keeps cells apart in one sorted key


@dataclass(frozen=True)
class Layout:
    order: IntpArray  # unit index of each column
    column: IntpArray  # column of each unit
    key: FloatArray  # per column: cell * stride + lon + 180, ascending
    cell_start: IntpArray  # first column of each cell, then the number of units
    origin: float
    height: float  # degrees of latitude per cell


def layout(lat: FloatArray, lon: FloatArray, reach_degrees: FloatArray) -> Layout:
    """Cells about one reach diameter high (reach_degrees: half-widths of the rules)."""
    height = float(np.clip(np.median(2 * reach_degrees), 1e-3, 5.0)) if len(reach_degrees) else 1.0
    origin = float(lat.min()) if len(lat) else 0.0
    cells = int(np.floor((float(lat.max()) - origin) / height)) + 1 if len(lat) else 1
    cell = np.clip(np.floor((lat - origin) / height).astype(np.intp), 0, cells - 1)
    order = np.lexsort((lon, cell)).astype(np.intp)
    column = np.empty(len(lat), np.intp)
    column[order] = np.arange(len(lat))
    key = cell[order] * _KEY_STRIDE + lon[order] + 180.0
    cell_start = np.searchsorted(cell[order], np.arange(cells + 1)).astype(np.intp)
    return Layout(order, column, key, cell_start, origin, height)


def half_width_degrees(km: FloatArray) -> FloatArray:
    """The latitude difference that alone puts two points farther apart than km."""
    out: FloatArray = np.degrees((km + _SLACK_KM) / EARTH_RADIUS_KM) + _SLACK_DEGREES
    return out


def ranges(
    grid: Layout, lat: FloatArray, lon: FloatArray, km: FloatArray
) -> tuple[IntpArray, IntpArray, IntpArray]:
    """Column ranges [low, high) covering every unit within km of each location.

    Returns (location, low, high): several ranges per location, one per cell crossed."""
    n_cells = len(grid.cell_start) - 1
    half = half_width_degrees(km)
    first = np.floor((lat - half - grid.origin) / grid.height)
    last = np.floor((lat + half - grid.origin) / grid.height)
    first = np.clip(first, 0, n_cells).astype(np.intp)
    last = np.clip(last, -1, n_cells - 1).astype(np.intp)
    window = _longitude_window(lat, lon, km, half)
    crossed = np.maximum(last - first + 1, 0)
    narrow = np.isfinite(window) & (crossed <= _MAX_CELLS)
    wide = np.flatnonzero(~narrow & (crossed > 0))
    wide_low = grid.cell_start[first[wide]]
    wide_high = grid.cell_start[last[wide] + 1]
    near = np.flatnonzero(narrow)
    counts = crossed[near]
    location = np.repeat(near, counts)
    cell = np.repeat(first[near] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    base = cell * _KEY_STRIDE + 180.0
    low = np.searchsorted(grid.key, base + lon[location] - window[location], side="left")
    high = np.searchsorted(grid.key, base + lon[location] + window[location], side="right")
    return (
        np.concatenate([wide, location]).astype(np.intp),
        np.concatenate([wide_low, low]).astype(np.intp),
        np.concatenate([wide_high, high]).astype(np.intp),
    )


def _longitude_window(
    lat: FloatArray, lon: FloatArray, km: FloatArray, half: FloatArray
) -> FloatArray:
    """Half-width in longitude outside which nothing is within km; inf when unbounded
    (near a pole, or when the window would cross the antimeridian)."""
    farthest = np.minimum(90.0, np.abs(lat) + half)
    product = np.cos(np.radians(lat)) * np.cos(np.radians(farthest))
    product = np.maximum(product, 1e-300)
    ratio = np.sin((km + _SLACK_KM) / (2 * EARTH_RADIUS_KM)) / np.sqrt(product)
    bounded = ratio < 0.999
    angle = np.degrees(2 * np.arcsin(np.minimum(ratio, 0.999)))
    window = np.where(bounded, angle * (1 + 1e-9) + _SLACK_DEGREES, np.inf)
    crossing = (lon - window < -180.0) | (lon + window > 180.0)
    out: FloatArray = np.where(crossing, np.inf, window)
    return out
