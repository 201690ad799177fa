"""Pages of the points scheme: the administrator's versions (``/admin/points-scheme``), the
active scheme for allocation officers and managers (``/staff/points-scheme``), and the public
rules (``/points-rules``, no sign-in: allocation rules are public).

No page sets a household's points: they are computed (``sra.households.points_store``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from sra.households.points import (
    MAX_BANDS,
    EthosPoints,
    IncomeBand,
    SchemeRules,
    max_total,
    validate,
)
from sra.households.points_store import (
    SCHEME_STATUS,
    InvalidScheme,
    PointsScheme,
    SchemeStatus,
    activate_scheme,
    active_scheme,
    create_draft_from,
    households_to_recompute,
    name_errors,
    scheme_of_agency,
    schemes_of,
    update_draft,
)
from sra.i18n import gettext as _
from sra.i18n import ngettext
from sra.identity.forms import field
from sra.identity.roles import Role
from sra.money import parse_cents
from sra.register.models import Agency
from sra.web.agency import callers_agency
from sra.web.guards import AnyRequest, public, requires
from sra.web.guards import signed_in_user as _caller

ADMIN = "/admin/points-scheme"
WHOLE = re.compile(r"-?[0-9]{1,7}")
ETHOS_FIELDS = ("roofless", "houseless", "insecure", "inadequate")
INT_FIELDS = (
    "first_adult_percent",
    "other_adult_percent",
    "child_percent",
    "eviction_points",
    "unfit_home_points",
    "overcrowded_points",
    "displaced_points",
    "rent_burden_percent",
    "rent_burden_points",
    "per_child_points",
    "max_children_counted",
    "disability_points",
    "local_tie_points",
)
BAND_FIELDS = tuple(
    f"band_{row}_{part}" for row in range(1, MAX_BANDS + 1) for part in ("up_to", "points")
)
FIELDS = (
    "name",
    "reference_income",
    *INT_FIELDS,
    *(f"ethos_{group}" for group in ETHOS_FIELDS),
    *BAND_FIELDS,
)


def _whole(values: Mapping[str, str], name: str, errors: dict[str, str]) -> int:
    text = values.get(name, "")
    if not WHOLE.fullmatch(text):
        errors[name] = _("Please enter a whole number, for example 10.")
        return 0
    return int(text)


def _bands(values: Mapping[str, str], errors: dict[str, str]) -> tuple[list[IncomeBand], list[int]]:
    """The filled band rows (a blank row is skipped), with their row numbers."""
    bands, rows = [], []
    for row in range(1, MAX_BANDS + 1):
        up_to, points = f"band_{row}_up_to", f"band_{row}_points"
        if not values.get(up_to) and not values.get(points):
            continue
        for name in (up_to, points):
            if not values.get(name):
                errors[name] = _("Fill in both the limit and the points of this band, or neither.")
        limit = _whole(values, up_to, errors) if values.get(up_to) else 0
        given = _whole(values, points, errors) if values.get(points) else 0
        bands.append(IncomeBand(limit, given))
        rows.append(row)
    return bands, rows


def read_scheme_form(values: Mapping[str, str]) -> tuple[SchemeRules | None, dict[str, str]]:
    """The rules typed in the form, or None with an error per field (translated)."""
    errors: dict[str, str] = {}
    reference = parse_cents(values.get("reference_income", ""))
    if reference is None:
        errors["reference_income"] = _(
            "The reference income is a monthly amount, for example 1300.00."
        )
    numbers = {name: _whole(values, name, errors) for name in INT_FIELDS}
    ethos = {group: _whole(values, f"ethos_{group}", errors) for group in ETHOS_FIELDS}
    bands, rows = _bands(values, errors)
    for path, message in name_errors(values.get("name", "")):
        errors[path] = _(message)
    if errors or reference is None:
        return None, errors
    rules = SchemeRules(
        reference_income_cents=reference,
        income_bands=tuple(bands),
        ethos_points=EthosPoints(**ethos),
        **numbers,
    )
    for path, message in validate(rules):
        errors.setdefault(_form_field(path, rows), _(message))
    return (None, errors) if errors else (rules, errors)


def _form_field(path: str, rows: list[int]) -> str:
    """The form field that shows the error of a rules path (``income_bands[1].points``...)."""
    if path == "reference_income_cents":
        return "reference_income"
    if path.startswith("ethos_points."):
        return "ethos_" + path.removeprefix("ethos_points.")
    match = re.fullmatch(r"income_bands\[(\d+)\]\.(up_to_percent|points)", path)
    if match and int(match[1]) < len(rows):
        part = "up_to" if match[2] == "up_to_percent" else "points"
        return f"band_{rows[int(match[1])]}_{part}"
    return "band_1_up_to" if path.startswith("income_bands") else path


def _translated(problems: list[tuple[str, str]]) -> dict[str, str]:
    """Service errors of stored rules, whose bands fill the form's first rows."""
    rows = list(range(1, MAX_BANDS + 1))
    return {_form_field(path, rows): _(message) for path, message in problems}


def form_values(scheme: PointsScheme) -> dict[str, str]:
    rules = scheme.scheme_rules
    values = {name: str(getattr(rules, name)) for name in INT_FIELDS}
    values |= {f"ethos_{g}": str(getattr(rules.ethos_points, g)) for g in ETHOS_FIELDS}
    for row, band in enumerate(rules.income_bands, start=1):
        values[f"band_{row}_up_to"] = str(band.up_to_percent)
        values[f"band_{row}_points"] = str(band.points)
    cents = rules.reference_income_cents
    return values | {"name": scheme.name, "reference_income": f"{cents // 100}.{cents % 100:02d}"}


def _rules_context(agency: Agency, scheme: PointsScheme | None) -> dict[str, Any]:
    rules = scheme.scheme_rules if scheme else None
    return {
        "agency": agency,
        "scheme": scheme,
        "rules": rules,
        "best_total": max_total(rules) if rules else 0,
        "currency": agency.currency,
        "status_label": SCHEME_STATUS,
    }


def _edit_form(
    scheme: PointsScheme, values: Mapping[str, str], errors: dict[str, str], status: int = 200
) -> Template:
    return Template(
        "households/points_scheme_form.html",
        context={"scheme": scheme, "values": values, "errors": errors, "bands": MAX_BANDS},
        status_code=status,
    )


class PointsSchemeAdminController(Controller):
    path = ADMIN
    guards = [requires(Role.ADMINISTRATOR)]
    include_in_schema = False

    @get("/")
    async def versions(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        done: FromQuery[str] = "",
        count: FromQuery[int] = 0,
    ) -> Template:
        agency = await callers_agency(request, db_session)
        notices = {
            "saved": _("The draft is saved. Activate it to apply it."),
            "activated": ngettext(
                "The scheme is active. The points of %(num)d household were recomputed.",
                "The scheme is active. The points of %(num)d households were recomputed.",
                count,
            )
            % {"num": count},
            "not_draft": _("Only a draft can be changed. Make a new draft to change the rules."),
        }
        return Template(
            "households/points_schemes.html",
            context={
                **_rules_context(agency, await active_scheme(db_session, agency.id)),
                "versions": await schemes_of(db_session, agency.id),
                "notice": notices.get(done),
            },
        )

    @post("/drafts", status_code=303)
    async def new_draft(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        agency = await callers_agency(request, db_session)
        base_id = field(await request.form(), "base")
        base = await active_scheme(db_session, agency.id)
        if base_id:
            try:
                base = await self._scheme(db_session, agency, UUID(base_id))
            except ValueError:
                raise NotFoundException() from None
        draft = await create_draft_from(db_session, agency.id, base, actor=_caller(request))
        return Redirect(f"{ADMIN}/{draft.id}/edit", status_code=303)

    @get("/{scheme_id:uuid}")
    async def version(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        scheme_id: FromPath[UUID],
    ) -> Template:
        agency = await callers_agency(request, db_session)
        scheme = await self._scheme(db_session, agency, scheme_id)
        return Template("households/points_version.html", context=_rules_context(agency, scheme))

    @get("/{scheme_id:uuid}/edit")
    async def edit_form(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        scheme_id: FromPath[UUID],
    ) -> Response[Any]:
        scheme = await self._scheme(
            db_session, await callers_agency(request, db_session), scheme_id
        )
        if scheme.status is not SchemeStatus.DRAFT:
            return Redirect(f"{ADMIN}?done=not_draft", status_code=303)
        return _edit_form(scheme, form_values(scheme), {})

    @post("/{scheme_id:uuid}/edit", status_code=303)
    async def save(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        scheme_id: FromPath[UUID],
    ) -> Response[Any]:
        scheme = await self._scheme(
            db_session, await callers_agency(request, db_session), scheme_id
        )
        if scheme.status is not SchemeStatus.DRAFT:
            return Redirect(f"{ADMIN}?done=not_draft", status_code=303)
        form = await request.form()
        values = {name: field(form, name) for name in FIELDS}
        rules, errors = read_scheme_form(values)
        if rules is None:
            return _edit_form(scheme, values, errors, 400)
        problems = await update_draft(
            db_session, scheme, name=values["name"], rules=rules, actor=_caller(request)
        )
        if problems:  # the service decides; read_scheme_form ran the same checks before
            return _edit_form(scheme, values, _translated(problems), 400)
        return Redirect(f"{ADMIN}?done=saved", status_code=303)

    @get("/{scheme_id:uuid}/activate")
    async def confirm(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        scheme_id: FromPath[UUID],
    ) -> Response[Any]:
        agency = await callers_agency(request, db_session)
        scheme = await self._scheme(db_session, agency, scheme_id)
        if scheme.status is not SchemeStatus.DRAFT:
            return Redirect(f"{ADMIN}?done=not_draft", status_code=303)
        return Template(
            "households/points_activate.html",
            context={
                **_rules_context(agency, scheme),
                "active": await active_scheme(db_session, agency.id),
                "households": await households_to_recompute(db_session, agency.id),
            },
        )

    @post("/{scheme_id:uuid}/activate", status_code=303)
    async def activate(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        scheme_id: FromPath[UUID],
    ) -> Response[Any]:
        agency = await callers_agency(request, db_session)
        scheme = await self._scheme(db_session, agency, scheme_id)
        if scheme.status is not SchemeStatus.DRAFT:
            return Redirect(f"{ADMIN}?done=not_draft", status_code=303)
        try:
            count = await activate_scheme(db_session, scheme, _caller(request))
        except InvalidScheme as problem:
            return _edit_form(scheme, form_values(scheme), _translated(problem.errors), 400)
        return Redirect(f"{ADMIN}?done=activated&count={count}", status_code=303)

    async def _scheme(self, session: AsyncSession, agency: Agency, scheme_id: UUID) -> PointsScheme:
        scheme = await scheme_of_agency(session, agency.id, scheme_id)
        if scheme is None:
            raise NotFoundException()
        return scheme


@get(
    "/staff/points-scheme",
    guards=[requires(Role.ALLOCATION_OFFICER, Role.MANAGER, Role.ADMINISTRATOR)],
    include_in_schema=False,
)
async def staff_points_scheme(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template:
    agency = await callers_agency(request, db_session)
    context = _rules_context(agency, await active_scheme(db_session, agency.id))
    return Template("households/points_version.html", context={**context, "staff_view": True})


@get("/points-rules", guards=[public], include_in_schema=False)
async def public_points_rules(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template:
    agency = await callers_agency(request, db_session)
    context = _rules_context(agency, await active_scheme(db_session, agency.id))
    return Template("households/points_public.html", context=context)


points_pages = [PointsSchemeAdminController, staff_points_scheme, public_points_rules]
