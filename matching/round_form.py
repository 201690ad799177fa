"""The "new round" form: which flats may take part, reading what the officer typed, and the
forms of the review (deadline of the offers).

Each reader returns the typed values or, per field, a sentence in the officer's language for
beside that field; the page then stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from matching.offer_policy import MAX_DEADLINE_DAYS
from matching.rounds import DEFAULT_SEARCH_MINUTES, MAX_SEARCH_MINUTES, RoundMode, RoundPolicy
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.forms import Errors
from sra.register import form_values
from sra.register.intake import available_units
from sra.register.models import Unit

MAX_NAME = 200
MAX_DAYS_AHEAD = 366
RATIO_DECIMALS = 4
DEFAULTS = {
    "mode": RoundMode.MAX_HOUSED.value,
    "weight_urgency": "10",
    "weight_waiting_day": "1",
    "weight_km": "3",
    "affordability_ratio": "0.35",
    "cap": "",
    "search_minutes": str(DEFAULT_SEARCH_MINUTES),
}
MODES = {
    RoundMode.MAX_HOUSED.value: lazy("House as many households as possible"),
    RoundMode.STRICT_PRIORITY.value: lazy("Strict priority: the most urgent households first"),
}


@dataclass(frozen=True)
class UnitChoice:
    unit: Unit
    problem: str | None  # why the flat cannot take part (translated), None when it can


@dataclass(frozen=True)
class RoundInput:
    name: str
    round_date: date
    unit_ids: list[UUID]
    policy: RoundPolicy


async def unit_choices(session: AsyncSession, agency_id: UUID | None) -> list[UnitChoice]:
    """The agency's available flats; those without a place on the map or a tenant rent are
    shown but cannot be chosen (the solver needs both)."""
    choices = []
    for unit in await available_units(session, agency_id):
        problem = None
        if unit.building.lat is None or unit.building.lon is None:
            problem = _("No place on the map yet: the intake officer can add it.")
        elif unit.tenant_rent_cents is None:
            problem = _("No tenant rent set yet.")
        choices.append(UnitChoice(unit, problem))
    return choices


def blank_values(choices: list[UnitChoice], today: date) -> dict[str, Any]:
    """The form as first shown: every flat that can take part is ticked."""
    return {
        **DEFAULTS,
        "name": "",
        "round_date": today.isoformat(),
        "units": [str(c.unit.id) for c in choices if c.problem is None],
    }


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_round_form(
    form: Any, choices: list[UnitChoice], today: date
) -> tuple[RoundInput | None, dict[str, Any], Errors]:
    values: dict[str, Any] = {k: _text(form, k) for k in ("name", "round_date", *DEFAULTS)}
    values["units"] = [v for v in form.getall("units", []) if isinstance(v, str)]
    errors: Errors = {}
    if not values["name"] or len(values["name"]) > MAX_NAME:
        errors["name"] = _("Please give the round a name of at most 200 characters.")
    round_date, error = form_values.day(values["round_date"], not_before=today)
    if round_date and round_date > today + timedelta(days=MAX_DAYS_AHEAD):
        error = _("Please choose a date within the coming year.")
    if error:
        errors["round_date"] = error
    usable = {str(c.unit.id): c.unit.id for c in choices if c.problem is None}
    if not values["units"]:
        errors["units"] = _("Please choose at least one flat.")
    elif any(v not in usable for v in values["units"]):
        errors["units"] = _("Please choose flats from the list.")
    if values["mode"] not in MODES:
        errors["mode"] = _("Please choose a way to allocate from the list.")
    weights = {}
    for name in ("weight_urgency", "weight_waiting_day", "weight_km"):
        weights[name], error = form_values.whole_number(values[name], low=0, high=1000)
        if error:
            errors[name] = error
    ratio, error = read_ratio(values["affordability_ratio"])
    if error:
        errors["affordability_ratio"] = error
    cap, error = form_values.whole_number(values["cap"], low=0, high=1000, required=False)
    if error:
        errors["cap"] = error
    minutes, error = read_search_minutes(values["search_minutes"])
    if error:
        errors["search_minutes"] = error
    if errors or round_date is None or minutes is None:
        return None, values, errors
    policy = RoundPolicy(
        mode=RoundMode(values["mode"]),
        weight_urgency=weights["weight_urgency"] or 0,
        weight_waiting_day=weights["weight_waiting_day"] or 0,
        weight_km=weights["weight_km"] or 0,
        affordability_ratio=ratio,
        max_high_support_per_building=cap,
        search_minutes=minutes,
    )
    unit_ids = [usable[v] for v in dict.fromkeys(values["units"])]
    return RoundInput(values["name"], round_date, unit_ids, policy), values, errors


def read_search_minutes(text: str) -> tuple[int | None, str | None]:
    """How many minutes the capped search may take, 1 to 60."""
    return form_values.whole_number(text, low=1, high=MAX_SEARCH_MINUTES)


def read_ratio(text: str) -> tuple[str | None, str | None]:
    """The share of income that rent and charges may take, as exact decimal text ("0.35");
    blank: no affordability rule."""
    if not text:
        return None, None
    cleaned = text.replace(",", ".").replace(" ", "")
    try:
        ratio = Decimal(cleaned)
    except InvalidOperation:
        return None, _(
            "Please enter a share between 0 and 1, such as 0.35 for 35 percent of the income."
        )
    if not ratio.is_finite() or not Decimal(0) < ratio <= Decimal(1):
        return None, _("Please enter a share above 0 and at most 1, such as 0.35.")
    if ratio != ratio.quantize(Decimal(1).scaleb(-RATIO_DECIMALS)):
        return None, _("Please enter the share with at most four decimals.")
    return format(ratio.normalize(), "f"), None


def read_deadline(text: str, today: date) -> tuple[date | None, str | None]:
    deadline, error = form_values.day(text)
    if error or deadline is None:
        return None, error
    if deadline <= today:
        return None, _("Please choose a day after today.")
    if deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
        return None, _("Please choose a day within {days} days.").format(days=MAX_DEADLINE_DAYS)
    return deadline, None
