"""Building and unit fields: reading them from a form and checking them (forms and API alike).

``read_building_form`` / ``read_unit_form`` turn the posted strings into typed values and
per-field errors; ``check_building`` / ``check_unit`` apply the rules to typed values, so the
JSON API (which gets typed values from msgspec) runs exactly the same checks. Every message is
translated into the current locale. Error keys are the model's field names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.register.rent_caps import UnitType

COUNTRIES = ("BE", "PL", "CZ")
ENERGY_LABELS = ("A++", "A+", "A", "B", "C", "D", "E", "F", "G")
MAX_RENT_CENTS = 10_000_000  # 100,000 a month: anything above is a typing slip
FLOORS = (1, 200)
UNIT_FLOOR = (-5, 199)
BEDROOMS = (0, 20)
SURFACE_M2 = (1, 2000)
OCCUPANTS = (1, 20)
MAX_DESCRIPTION = 5000
BUILDING_TEXT = {"street": 200, "postcode": 10, "municipality": 100}

BUILDING_FIELDS = ("street", "postcode", "municipality", "country", "floors", "has_lift")
UNIT_FIELDS = (
    "label",
    "unit_type",
    "floor",
    "bedrooms",
    "surface_m2",
    "min_occupants",
    "max_occupants",
    "step_free",
    "wheelchair_accessible",
    "furnished",
    "energy_label",
    "proposed_rent_cents",
    "charges_cents",
    "available_from",
    "description",
    "package_id",
)
# Money is typed as an amount ("750,50") in forms and as cents in the API.
FORM_NAME = {"proposed_rent_cents": "proposed_rent", "charges_cents": "charges"}

_AMOUNT = re.compile(r"^\d+$|^\d{1,3}([ .,']\d{3})+$")


def form_name(field: str) -> str:
    return FORM_NAME.get(field, field)


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _checked(form: Mapping[str, Any], name: str) -> bool:
    return _text(form, name) in ("on", "true", "1", "yes")


def parse_amount(text: str) -> int | None:
    """Cents from "750", "750.5", "750,50", "1 250,00" or "1.250"; None when it is not an amount."""
    cleaned = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    for symbol in ("€", "EUR", "zł", "PLN", "Kč", "CZK"):
        cleaned = cleaned.replace(symbol, "")
    cleaned = cleaned.strip()
    whole, decimals = cleaned, ""
    found = re.match(r"^(.*)[.,](\d{1,2})$", cleaned)
    if found:
        whole, decimals = found.group(1), found.group(2)
    if not _AMOUNT.match(whole):
        return None
    try:
        amount = Decimal(re.sub(r"[ .,']", "", whole) + "." + (decimals or "0"))
    except InvalidOperation:
        return None
    return int(amount * 100)


def _int(form: Mapping[str, Any], name: str, errors: Errors, out: dict[str, Any]) -> None:
    raw = _text(form, name)
    if not raw:
        return
    try:
        out[name] = int(raw)
    except ValueError:
        errors[name] = _("Please enter a whole number.")


def read_building_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    values: dict[str, Any] = {name: _text(form, name) for name in BUILDING_TEXT}
    values["postcode"] = values["postcode"].upper()
    values["country"] = _text(form, "country").upper()
    values["has_lift"] = _checked(form, "has_lift")
    _int(form, "floors", errors, values)
    if "floors" not in values and "floors" not in errors:
        errors["floors"] = _("Please enter how many floors the building has.")
    return values, errors


def read_unit_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "label": _text(form, "label"),
        "description": _text(form, "description"),
        "energy_label": _text(form, "energy_label").upper() or None,
        "step_free": _checked(form, "step_free"),
        "wheelchair_accessible": _checked(form, "wheelchair_accessible"),
        "furnished": _checked(form, "furnished"),
        "surface_m2": None,
        "available_from": None,
        "package_id": None,
        "proposed_rent_cents": None,
        "charges_cents": 0,
    }
    try:
        values["unit_type"] = UnitType(_text(form, "unit_type"))
    except ValueError:
        errors["unit_type"] = _("Please choose the kind of home.")
    for name in ("floor", "bedrooms", "surface_m2", "min_occupants", "max_occupants"):
        _int(form, name, errors, values)
    for name, message in (
        ("floor", _("Please enter the floor (0 for the ground floor).")),
        ("bedrooms", _("Please enter the number of bedrooms (0 for a studio).")),
        ("min_occupants", _("Please enter the smallest number of people.")),
        ("max_occupants", _("Please enter the largest number of people.")),
    ):
        if name not in values and name not in errors:
            errors[name] = message
    _read_money(form, values, errors)
    _read_date(form, values, errors)
    raw_package = _text(form, "package_id")
    if raw_package:
        try:
            values["package_id"] = UUID(raw_package)
        except ValueError:
            errors["package_id"] = _("Please choose one of the packages listed.")
    return values, errors


def _read_money(form: Mapping[str, Any], values: dict[str, Any], errors: Errors) -> None:
    for field in ("proposed_rent_cents", "charges_cents"):
        raw = _text(form, form_name(field))
        if not raw:
            continue
        cents = parse_amount(raw.lstrip("-"))
        if cents is None:
            errors[field] = _("Please enter an amount, for example 750 or 750.50.")
        else:
            values[field] = -cents if raw.startswith("-") else cents


def _read_date(form: Mapping[str, Any], values: dict[str, Any], errors: Errors) -> None:
    raw = _text(form, "available_from")
    if not raw:
        return
    try:
        values["available_from"] = date.fromisoformat(raw)
    except ValueError:
        errors["available_from"] = _("Please enter a date such as 2026-09-01.")


def _in_range(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


def check_building(values: Mapping[str, Any]) -> Errors:
    """Rules on typed building values; keys that are absent are not checked."""
    errors: Errors = {}
    for name, limit in BUILDING_TEXT.items():
        if name not in values:
            continue
        if not values[name]:
            errors[name] = {
                "street": _("Please enter the street and house number."),
                "postcode": _("Please enter the postcode."),
                "municipality": _("Please enter the municipality."),
            }[name]
        elif len(values[name]) > limit:
            errors[name] = _("This is too long: at most {count} characters.").format(count=limit)
    if "country" in values and values["country"] not in COUNTRIES:
        errors["country"] = _("Please choose Belgium, Poland or Czechia.")
    if "floors" in values and not _in_range(values["floors"], FLOORS):
        errors["floors"] = _("A building has between {low} and {high} floors.").format(
            low=FLOORS[0], high=FLOORS[1]
        )
    return errors


def check_unit(values: Mapping[str, Any]) -> Errors:
    """Rules on typed unit values; keys that are absent are not checked."""
    errors: Errors = {}
    label = values.get("label")
    if "label" in values and not label:
        errors["label"] = _("Please give the flat a name, for example “2nd floor left”.")
    elif isinstance(label, str) and len(label) > 50:
        errors["label"] = _("This is too long: at most {count} characters.").format(count=50)
    _check_counts(values, errors)
    _check_money(values, errors)
    energy = values.get("energy_label")
    if energy is not None and energy not in ENERGY_LABELS:
        errors["energy_label"] = _("Please choose an energy label from A++ to G.")
    available = values.get("available_from")
    if isinstance(available, date) and available.year < 2000:
        errors["available_from"] = _("Please enter a date such as 2026-09-01.")
    if len(values.get("description") or "") > MAX_DESCRIPTION:
        errors["description"] = _("This is too long: at most {count} characters.").format(
            count=MAX_DESCRIPTION
        )
    return errors


def _check_counts(values: Mapping[str, Any], errors: Errors) -> None:
    if "floor" in values and not _in_range(values["floor"], UNIT_FLOOR):
        errors["floor"] = _("The floor must be between {low} and {high}.").format(
            low=UNIT_FLOOR[0], high=UNIT_FLOOR[1]
        )
    if "bedrooms" in values and not _in_range(values["bedrooms"], BEDROOMS):
        errors["bedrooms"] = _("The number of bedrooms must be between 0 and 20.")
    surface = values.get("surface_m2")
    if surface is not None and not _in_range(surface, SURFACE_M2):
        errors["surface_m2"] = _("The surface must be a positive number of square metres.")
    low, high = values.get("min_occupants"), values.get("max_occupants")
    if low is not None and not _in_range(low, OCCUPANTS):
        errors["min_occupants"] = _("The number of people must be between 1 and 20.")
    if high is not None and not _in_range(high, OCCUPANTS):
        errors["max_occupants"] = _("The number of people must be between 1 and 20.")
    elif low is not None and high is not None and low > high and "min_occupants" not in errors:
        errors["max_occupants"] = _(
            "The largest number of people must be at least the smallest ({count})."
        ).format(count=low)


def _check_money(values: Mapping[str, Any], errors: Errors) -> None:
    for field in ("proposed_rent_cents", "charges_cents"):
        cents = values.get(field)
        if cents is None:
            continue
        if cents < 0:
            errors[field] = _("The amount cannot be negative.")
        elif cents > MAX_RENT_CENTS:
            errors[field] = _("This amount is too high for a monthly rent.")
