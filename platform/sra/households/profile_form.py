"""What a household may enter in its profile: the checks on typed values (shared by the pages
and the API), reading the form's text into them, finding a place in the gazetteer, and the
words the form shows. Each check gives one translated message per wrong field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sra.geo import Geocoder, normalise_postcode, postcode_problem
from sra.geo.postcodes import name_key
from sra.households.facts import ETHOS_CATEGORIES, ETHOS_SEVERITY, EthosGroup
from sra.households.profile import (
    AreaInput,
    IncomeInput,
    LimitsInput,
    MemberInput,
    NeedsInput,
    SituationInput,
)
from sra.i18n import gettext as _
from sra.i18n import lazy
from sra.identity.forms import Errors
from sra.identity.forms import field as form_field
from sra.money import parse_cents
from sra.register.models import (
    Household,
    HouseholdIncome,
    HouseholdMember,
    IncomeSource,
    MemberRelation,
)

MAX_OTHER_NEEDS = 2000
MAX_NAME = 100
OLDEST_AGE = 120
MAX_AMOUNT_CENTS = 10**9  # the solver's bound on max_rent_cents
MAX_DISTANCE_KM = 1000.0
YEAR = re.compile(r"^\d{4}$")
DISTANCE = re.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")

# Why we ask for consent, shown beside the checkbox and returned by the API.
CONSENT_PURPOSE = lazy(
    "The agency uses the information in your application only to check whether you can rent "
    "a home through it, to work out your priority, to offer you a home that fits your "
    "household, and, once you rent one, to manage your lease and the support you receive. "
    "Only the staff who need it see it: your documents are seen by the allocation officers "
    "who check your application. We keep your data while your application is open and after "
    "that only as long as the law requires. You can see, download, correct or erase your data "
    "at any time, and withdraw your application."
)


def check_member(
    first_name: str, relation: str, birth_year: int | None, today: date
) -> tuple[MemberInput | None, Errors]:
    """``birth_year`` None means the caller already reported it as not a number."""
    errors: Errors = {}
    name = first_name.strip()
    if not name:
        errors["first_name"] = _("Please enter the first name.")
    elif len(name) > MAX_NAME:
        errors["first_name"] = _("The first name can be at most 100 characters long.")
    try:
        chosen = MemberRelation(relation)
    except ValueError:
        errors["relation"] = _("Please choose who this person is to you.")
    if birth_year is not None:
        if birth_year > today.year:
            errors["birth_year"] = _("The year of birth cannot be in the future.")
        elif birth_year < today.year - OLDEST_AGE:
            errors["birth_year"] = _("Please check the year of birth: it is too long ago.")
    if errors or birth_year is None:
        return None, errors
    return MemberInput(name, chosen, birth_year), errors


def amount_problem(cents: int) -> str | None:
    if cents < 0:
        return _("An amount cannot be below zero.")
    if cents >= MAX_AMOUNT_CENTS:
        return _("This amount is too large. Please check it.")
    return None


def check_income(source: str, amount_cents: int | None) -> tuple[IncomeInput | None, Errors]:
    errors: Errors = {}
    try:
        chosen = IncomeSource(source)
    except ValueError:
        errors["source"] = _("Please choose where this income comes from.")
    problem = amount_problem(amount_cents) if amount_cents is not None else None
    if problem:
        errors["amount"] = problem
    if errors or amount_cents is None:
        return None, errors
    return IncomeInput(chosen, amount_cents), errors


def check_needs(
    wheelchair: bool, step_free: bool, ground_floor: bool, disability: bool, other_needs: str
) -> tuple[NeedsInput | None, Errors]:
    text = other_needs.strip()
    if len(text) > MAX_OTHER_NEEDS:
        return None, {"other_needs": _("Please write at most 2000 characters.")}
    # A wheelchair user needs step-free access whether or not the box was ticked.
    return NeedsInput(
        wheelchair, step_free or wheelchair, ground_floor, disability, text or None
    ), {}


def check_limits(
    max_distance_km: float | None, max_rent_cents: int | None
) -> tuple[LimitsInput | None, Errors]:
    errors: Errors = {}
    if max_distance_km is not None and not 0 < max_distance_km <= MAX_DISTANCE_KM:
        errors["max_distance_km"] = _("Please enter a distance between 1 and 1000 km.")
    if max_rent_cents is not None and (problem := amount_problem(max_rent_cents)):
        errors["max_rent"] = problem
    if errors:
        return None, errors
    return LimitsInput(max_distance_km, max_rent_cents), errors


def check_situation(
    ethos_category: int | None,
    displaced: bool,
    eviction_threat: bool,
    eviction_date: date | None,
    current_rent_cents: int | None,
    today: date,
) -> tuple[SituationInput | None, Errors]:
    errors: Errors = {}
    if ethos_category is not None and not 1 <= ethos_category <= 13:
        errors["ethos_category"] = _("Please choose the sentence that fits your situation.")
    if eviction_date is not None and abs((eviction_date - today).days) > 5 * 366:
        errors["eviction_date"] = _("Please check the date: it is more than five years away.")
    if current_rent_cents is not None and (problem := amount_problem(current_rent_cents)):
        errors["current_rent"] = problem
    if errors:
        return None, errors
    notice = eviction_threat or eviction_date is not None
    return SituationInput(
        ethos_category, displaced, notice, eviction_date, current_rent_cents
    ), errors


# --- reading the form's text ------------------------------------------------------------------

Form = Mapping[str, Any]


def _checked(form: Form, name: str) -> bool:
    return bool(form_field(form, name))


def _year(text: str, errors: Errors) -> int | None:
    if not text:
        errors["birth_year"] = _("Please enter the year of birth.")
        return None
    if not YEAR.match(text):
        errors["birth_year"] = _("Please enter the year of birth as four digits, for example 1985.")
        return None
    return int(text)


def _amount(text: str, name: str, errors: Errors, *, required: bool) -> int | None:
    """Cents from text such as 850 or 850,50; a message beside ``name`` when it is not one."""
    if not text:
        if required:
            errors[name] = _("Please enter the amount per month. If you have none, enter 0.")
        return None
    cents = parse_cents(text.removeprefix("-"))
    if cents is None:
        errors[name] = _("Please enter the amount in numbers, for example 850 or 850,50.")
        return None
    return -cents if text.startswith("-") else cents


def read_member(form: Form, today: date) -> tuple[MemberInput | None, Errors]:
    errors: Errors = {}
    year = _year(form_field(form, "birth_year"), errors)
    member, more = check_member(
        form_field(form, "first_name"), form_field(form, "relation"), year, today
    )
    return (member if not errors else None), {**more, **errors}


def read_income(form: Form) -> tuple[IncomeInput | None, Errors]:
    errors: Errors = {}
    cents = _amount(form_field(form, "amount"), "amount", errors, required=True)
    income, more = check_income(form_field(form, "source"), cents)
    return (income if not errors else None), {**more, **errors}


def read_needs(form: Form) -> tuple[NeedsInput | None, Errors]:
    return check_needs(
        _checked(form, "wheelchair"),
        _checked(form, "step_free"),
        _checked(form, "ground_floor"),
        _checked(form, "disability"),
        form_field(form, "other_needs"),
    )


def read_limits(form: Form) -> tuple[LimitsInput | None, Errors]:
    errors: Errors = {}
    text = form_field(form, "max_distance_km")
    distance = None
    if text and not DISTANCE.match(text):
        errors["max_distance_km"] = _("Please enter the distance in kilometres, for example 10.")
    elif text:
        distance = float(text.replace(",", "."))
    rent = _amount(form_field(form, "max_rent"), "max_rent", errors, required=False)
    limits, more = check_limits(distance, rent)
    return (limits if not errors else None), {**more, **errors}


def read_situation(form: Form, today: date) -> tuple[SituationInput | None, Errors]:
    errors: Errors = {}
    category_text = form_field(form, "ethos_category")
    category = int(category_text) if category_text.isdigit() else None
    if category_text and category is None:
        errors["ethos_category"] = _("Please choose the sentence that fits your situation.")
    eviction_text = form_field(form, "eviction_date")
    eviction = None
    if eviction_text:
        try:
            eviction = date.fromisoformat(eviction_text)
        except ValueError:
            errors["eviction_date"] = _(
                "Please enter the date as year-month-day, for example 2025-03-31."
            )
    rent = _amount(form_field(form, "current_rent"), "current_rent", errors, required=False)
    situation, more = check_situation(
        category,
        _checked(form, "displaced"),
        _checked(form, "eviction_threat"),
        eviction,
        rent,
        today,
    )
    return (situation if not errors else None), {**more, **errors}


# --- finding a place in the gazetteer ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceLookup:
    area: AreaInput | None = None
    error: str | None = None
    alternatives: list[str] = field(default_factory=list)  # town names to choose from


async def find_place(geocoder: Geocoder, country: str, text: str) -> PlaceLookup:
    """A postcode or a town name of ``country`` as a named point, or why it is not known."""
    wanted = " ".join(text.split())
    if not wanted:
        return PlaceLookup(error=_("Please enter a postcode or the name of a town."))
    if wanted[0].isdigit():
        return await _postcode_place(geocoder, country, wanted)
    places = await geocoder.suggest(country, wanted)
    exact = [p for p in places if name_key(p.municipality) == name_key(wanted)]
    if exact:
        return PlaceLookup(AreaInput(exact[0].municipality, exact[0].lat, exact[0].lon))
    names = list(dict.fromkeys(p.municipality for p in places))
    message = (
        _("We do not know a town called {name}. Did you mean one of these?")
        if names
        else _(
            "We do not know a town called {name}. Please check the spelling or enter its postcode."
        )
    )
    return PlaceLookup(error=message.format(name=wanted), alternatives=names)


CHECK_POSTCODE = lazy("Please check the postcode.")


async def _postcode_place(geocoder: Geocoder, country: str, text: str) -> PlaceLookup:
    code = normalise_postcode(text, country)
    if code is None:
        # normalise_postcode failed, so the shape check always has something to say.
        return PlaceLookup(error=_(postcode_problem(text, country) or CHECK_POSTCODE))
    point = await geocoder.locate(code, "", country)
    if point is None:
        return PlaceLookup(
            error=_("We do not know the postcode {code}. Please check it.").format(code=code)
        )
    towns = [p.municipality for p in await geocoder.suggest(country, code) if p.postcode == code]
    name = f"{code} {towns[0]}" if towns else code
    return PlaceLookup(AreaInput(name[:100], point.lat, point.lon))


# --- the words the form shows -----------------------------------------------------------------

INCOME_SOURCE: dict[IncomeSource, str] = {
    IncomeSource.WORK: lazy("Work (wages, self-employment)"),
    IncomeSource.BENEFITS: lazy("Social assistance (for example the living wage)"),
    IncomeSource.UNEMPLOYMENT: lazy("Unemployment benefit"),
    IncomeSource.PENSION: lazy("Pension"),
    IncomeSource.DISABILITY_ALLOWANCE: lazy("Disability or sickness benefit"),
    IncomeSource.CHILD_BENEFIT: lazy("Child benefit"),
    IncomeSource.MAINTENANCE: lazy("Maintenance paid by a former partner"),
    IncomeSource.OTHER: lazy("Other income"),
}

ETHOS_GROUP: dict[EthosGroup, str] = {
    EthosGroup.ROOFLESS: lazy("Without a roof"),
    EthosGroup.HOUSELESS: lazy("Without a home of my own"),
    EthosGroup.INSECURE: lazy("In insecure housing"),
    EthosGroup.INADEQUATE: lazy("In unsuitable housing"),
}

# The 13 operational categories of ETHOS (FEANTSA), in the first person and plain words.
ETHOS: dict[int, str] = {
    1: lazy("I sleep outside, in the street or in public places."),
    2: lazy("I sleep in a night shelter."),
    3: lazy("I live in a hostel or temporary housing for homeless people."),
    4: lazy("I live in a shelter for women (or people) fleeing violence."),
    5: lazy("I live in a reception centre or housing for refugees or migrants."),
    6: lazy("I will soon leave a prison, hospital or care home and have no home to go to."),
    7: lazy("I live in supported housing for people who were homeless."),
    8: lazy("I stay with family or friends for now, or live somewhere without a rental contract."),
    9: lazy("I must leave my home: I have an eviction notice or the owner wants me out."),
    10: lazy("I am not safe at home because of violence."),
    11: lazy("I live in a caravan, a shack or another place not built for living."),
    12: lazy("My home is unfit to live in (for example damp, unsafe or without heating)."),
    13: lazy("My home is far too small for the people living in it."),
}


def ethos_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """(group msgid, [(category, msgid)]) in the order of ETHOS_SEVERITY, for the select."""
    return [
        (ETHOS_GROUP[group], [(n, ETHOS[n]) for n, g in ETHOS_CATEGORIES.items() if g is group])
        for group in ETHOS_SEVERITY
    ]


RELATIONS = tuple(MemberRelation)


# --- stored values as form text (to fill the forms) -------------------------------------------


def cents_text(cents: int | None) -> str:
    """850 or 850.50: text ``parse_cents`` reads back to the same cents."""
    if cents is None:
        return ""
    return f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def _box(value: bool) -> str:
    return "yes" if value else ""


def stored_values(household: Household) -> dict[str, str]:
    """The single-form sections' values (needs, limits, situation, consent)."""
    distance = household.max_distance_km
    return {
        "wheelchair": _box(household.wheelchair),
        "step_free": _box(household.step_free),
        "ground_floor": _box(household.ground_floor),
        "disability": _box(household.disability),
        "other_needs": household.other_needs or "",
        "max_distance_km": "" if distance is None else f"{distance:g}",
        "max_rent": cents_text(household.max_rent_cents),
        "ethos_category": str(household.ethos_category or ""),
        "displaced": _box(household.displaced),
        "eviction_threat": _box(household.eviction_threat),
        "eviction_date": household.eviction_date.isoformat() if household.eviction_date else "",
        "current_rent": cents_text(household.current_rent_cents),
        "consent": _box(household.consent_given),
    }


def row_values(row: HouseholdMember | HouseholdIncome) -> dict[str, str]:
    if isinstance(row, HouseholdMember):
        return {
            "first_name": row.first_name,
            "relation": row.relation.value,
            "birth_year": str(row.birth_year),
        }
    return {"source": row.source.value, "amount": cents_text(row.amount_cents)}
