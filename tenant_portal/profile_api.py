"""The household's needs profile in the JSON API: ``/api/v1/profile``, for the household only.

``PUT`` replaces the members, incomes, needs, places, limits and situation at once, with the
checks of the pages; any wrong field answers an RFC 9457 problem listing every field
(``members[0].birth_year``, ``areas[1]``, ...) and nothing is stored. Places are postcodes or
town names looked up in the gazetteer. ``POST /profile/submit`` sends the application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec
from litestar import get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from sra.geo import geocoder_for
from sra.households import profile as service
from sra.households import profile_form as forms
from sra.households.facts import awaiting_reverification
from sra.households.profile import ProfileLocked
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register.models import Household
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller
from tenant_portal.profile import agency_country, own_household

# Form field names -> API field names, where they differ (the form takes amounts as text).
API_KEYS = {
    "amount": "amount_cents",
    "max_rent": "max_rent_cents",
    "current_rent": "current_rent_cents",
}


class Member(msgspec.Struct):
    first_name: str
    relation: str
    birth_year: int


class Income(msgspec.Struct):
    source: str
    amount_cents: int


class Needs(msgspec.Struct):
    wheelchair: bool = False
    step_free: bool = False
    ground_floor: bool = False
    disability: bool = False
    other_needs: str = ""


class Situation(msgspec.Struct):
    ethos_category: int | None = None
    displaced: bool = False
    eviction_notice: bool = False
    eviction_date: date | None = None
    current_rent_cents: int | None = None


class Area(msgspec.Struct):
    name: str
    lat: float
    lon: float


class MissingItem(msgspec.Struct):
    key: str
    message: str


class ProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    members: list[Member]
    incomes: list[Income]
    needs: Needs
    situation: Situation
    areas: list[str] = msgspec.field(default_factory=list)  # postcodes or town names
    max_distance_km: float | None = None
    max_rent_cents: int | None = None
    consent: bool | None = None  # None leaves it as it is


class ProfileOut(msgspec.Struct):
    reference: str
    status: str
    editable: str  # free | reverify | locked
    awaiting_reverification: bool
    members: list[Member]
    incomes: list[Income]
    monthly_income_cents: int
    needs: Needs
    situation: Situation
    areas: list[Area]
    max_distance_km: float | None
    max_rent_cents: int | None
    consent_given: bool
    consent_given_at: datetime | None
    consent_purpose: str
    missing: list[MissingItem]


async def _out(db: AsyncSession, h: Household) -> ProfileOut:
    missing = await service.missing_for_submission(db, h)
    return ProfileOut(
        reference=h.reference,
        status=h.status.value,
        editable=service.edit_mode(h).value,
        awaiting_reverification=awaiting_reverification(h),
        members=[Member(m.first_name, m.relation.value, m.birth_year) for m in h.members],
        incomes=[Income(i.source.value, i.amount_cents) for i in h.incomes],
        monthly_income_cents=h.monthly_income_cents,
        needs=Needs(h.wheelchair, h.step_free, h.ground_floor, h.disability, h.other_needs or ""),
        situation=Situation(
            h.ethos_category, h.displaced, h.eviction_threat, h.eviction_date, h.current_rent_cents
        ),
        areas=[Area(a.name, a.lat, a.lon) for a in h.preferred_areas],
        max_distance_km=h.max_distance_km,
        max_rent_cents=h.max_rent_cents,
        consent_given=h.consent_given,
        consent_given_at=h.consent_given_at,
        consent_purpose=_(forms.CONSENT_PURPOSE),
        missing=[MissingItem(m.key, _(m.message)) for m in missing],
    )


def _prefixed(prefix: str, errors: Errors) -> Errors:
    return {f"{prefix}{API_KEYS.get(k, k)}": v for k, v in errors.items()}


def _invalid(errors: Errors) -> ValidationException:
    return ValidationException(
        detail=_("Nothing was saved. Please correct the fields listed."),
        extra=[{"key": key, "message": message} for key, message in errors.items()],
    )


@dataclass(slots=True)
class Checked:
    """The body as checked inputs, or every error (keys as in the body)."""

    rows: dict[str, list[Any]] = field(default_factory=dict)
    fields: list[tuple[object, str]] = field(default_factory=list)
    errors: Errors = field(default_factory=dict)

    def take(self, prefix: str, checked: tuple[Any, Errors]) -> Any:
        value, errors = checked
        self.errors.update({f"{prefix}{API_KEYS.get(k, k)}": v for k, v in errors.items()})
        return value


async def _check(request: AnyRequest, db: AsyncSession, h: Household, data: ProfileIn) -> Checked:
    """Every part checked before anything is written."""
    today = date.today()
    out = Checked()
    out.rows["members"] = [
        out.take(
            f"members[{n}].", forms.check_member(m.first_name, m.relation, m.birth_year, today)
        )
        for n, m in enumerate(data.members)
    ]
    out.rows["incomes"] = [
        out.take(f"incomes[{n}].", forms.check_income(i.source, i.amount_cents))
        for n, i in enumerate(data.incomes)
    ]
    s = data.situation
    situation = forms.check_situation(
        s.ethos_category,
        s.displaced,
        s.eviction_notice,
        s.eviction_date,
        s.current_rent_cents,
        today,
    )
    out.fields = [
        (out.take("needs.", forms.check_needs(**msgspec.structs.asdict(data.needs))), "needs"),
        (out.take("situation.", situation), "situation"),
        (out.take("", forms.check_limits(data.max_distance_km, data.max_rent_cents)), "limits"),
    ]
    geocoder = geocoder_for(request.app.state.settings, request.app.state.session_maker)
    country = await agency_country(db, h)
    out.rows["areas"] = []
    for n, text in enumerate(data.areas):
        found = await forms.find_place(geocoder, country, text)
        if found.area is None:
            out.errors[f"areas[{n}]"] = found.error or ""
        out.rows["areas"].append(found.area)
    if not out.errors:
        for kind, inputs in out.rows.items():
            out.errors.update(service.row_rules(h, kind, inputs))
    return out


async def _apply(db: AsyncSession, h: Household, checked: Checked, actor: CurrentUser) -> None:
    for kind, inputs in checked.rows.items():
        await service.set_rows(db, h, kind, inputs, actor=actor)
    for values, name in checked.fields:
        await service.save_fields(db, h, values, f"household.{name}_saved", actor)


def _locked(locked: ProfileLocked) -> HTTPException:
    return HTTPException(status_code=409, detail=locked.message)


@get("/profile", guards=[requires(Role.HOUSEHOLD)], tags=["profile"], summary="My needs profile")
async def my_profile(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> ProfileOut:
    return await _out(db_session, await own_household(request, db_session))


@put(
    "/profile",
    guards=[requires(Role.HOUSEHOLD)],
    tags=["profile"],
    summary="Replace my members, incomes, needs, places and situation",
)
async def replace_my_profile(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[ProfileIn]
) -> ProfileOut:
    household = await own_household(request, db_session)
    if service.edit_mode(household) is service.EditMode.LOCKED:
        raise _locked(service.lock_of(household))
    checked = await _check(request, db_session, household, data)
    if checked.errors:
        raise _invalid(checked.errors)
    actor = caller(request)
    await _apply(db_session, household, checked, actor)
    if data.consent is not None:
        try:
            await service.set_consent(db_session, household, data.consent, actor=actor)
        except ProfileLocked as locked:
            raise _locked(locked) from None
    return await _out(db_session, household)


@post(
    "/profile/submit",
    guards=[requires(Role.HOUSEHOLD)],
    tags=["profile"],
    summary="Send my application to the agency",
    status_code=200,
)
async def submit_my_profile(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> ProfileOut:
    household = await own_household(request, db_session)
    try:
        await service.send_application(db_session, household, actor=caller(request))
    except service.Incomplete as incomplete:
        raise _invalid({m.key: _(m.message) for m in incomplete.missing}) from None
    except ProfileLocked as locked:
        raise _locked(locked) from None
    return await _out(db_session, household)


profile_api = [my_profile, replace_my_profile, submit_my_profile]
