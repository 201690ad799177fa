"""A landlord's flats: offer one, change it while it is a draft, add photos, send it to the agency.

Form fields (contract with the tests and the browser journeys):
building ``building_id`` (an own building, or empty for a new one), ``street``, ``postcode``,
``municipality``, ``country``, ``floors``, ``has_lift``; unit ``label``, ``unit_type``, ``floor``,
``bedrooms``, ``surface_m2``, ``min_occupants``, ``max_occupants``, ``step_free``,
``wheelchair_accessible``, ``furnished``, ``energy_label``, ``proposed_rent`` and ``charges``
(amounts such as 750,50), ``available_from`` (YYYY-MM-DD), ``description``, ``package_id``;
photo upload ``photo`` (multipart). Another landlord's building, unit or photo answers 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from landlord_portal import listing_views as views
from landlord_portal.listing_forms import form_name, read_building_form, read_unit_form
from landlord_portal.listings import (
    EDITABLE,
    ListingInvalid,
    building_editable,
    own_building,
    own_unit,
    revise_unit,
    submit_unit,
    validate_building,
    validate_unit,
    write_building,
    write_unit,
)
from sra.files import FileStore
from sra.geo import Geocoder, geocoder_for
from sra.identity.forms import Errors
from sra.identity.roles import Role
from sra.register.models import Building, Landlord, Unit, UnitStatus
from sra.register.photos import (
    MAX_BYTES,
    PhotoRejected,
    add_unit_photo,
    remove_unit_photo,
    too_large_message,
)
from sra.register.queries import landlord_of_user
from sra.register.unit_status import TransitionNotAllowed
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _user

landlords_only = requires(Role.LANDLORD)
# Bodies up to this size are read, so a too-large photo gets an error beside the field
# (the photo's own limit is MAX_BYTES); beyond it Litestar answers 413 before reading.
UPLOAD_BODY_LIMIT = 64 * 1024 * 1024


async def _landlord(request: AnyRequest, session: AsyncSession) -> Landlord:
    landlord = await landlord_of_user(session, _user(request).id)
    if landlord is None:
        raise NotFoundException()
    return landlord


async def _unit(request: AnyRequest, session: AsyncSession, unit_id: UUID) -> tuple[Landlord, Unit]:
    landlord = await _landlord(request, session)
    unit = await own_unit(session, landlord, unit_id)
    if unit is None:
        raise NotFoundException()
    return landlord, unit


def _geocoder(request: AnyRequest) -> Geocoder:
    return geocoder_for(request.app.state.settings, request.app.state.session_maker)


def _form_errors(errors: Errors) -> Errors:
    return {form_name(key): message for key, message in errors.items()}


@get("/landlord/units/new", guards=[landlords_only])
async def new_unit_form(request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> Template:
    landlord = await _landlord(request, db_session)
    return await views.new_unit_page(db_session, landlord, views.blank_values(landlord), {})


@post("/landlord/units/new", guards=[landlords_only])
async def create_unit(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    landlord = await _landlord(request, db_session)
    form = await request.form()
    building_values, errors = read_building_form(form)
    unit_values, unit_errors = read_unit_form(form)
    errors.update(unit_errors)
    building = None
    raw_building = form.get("building_id") or ""
    if raw_building:
        building = await _chosen_building(db_session, landlord, raw_building)
        if building is None:
            errors["building_id"] = views.choose_building_message()
        building_errors = set(building_values) | {"floors"}
        errors = {k: v for k, v in errors.items() if k not in building_errors}
        point = None
    else:
        point = await validate_building(_geocoder(request), building_values, errors)
    await validate_unit(
        db_session,
        landlord,
        unit_values,
        errors,
        building_id=building.id if building else None,
    )
    if errors:
        return await views.new_unit_page(
            db_session, landlord, dict(form), _form_errors(errors), status_code=400
        )
    user = _user(request)
    if building is None:
        building = await write_building(db_session, landlord, building_values, point, actor=user)
    unit = await write_unit(db_session, building, unit_values, actor=user)
    return Redirect(f"/landlord/units/{unit.id}", status_code=303)


async def _chosen_building(
    session: AsyncSession, landlord: Landlord, raw: object
) -> Building | None:
    try:
        building_id = UUID(str(raw))
    except ValueError:
        return None
    return await own_building(session, landlord, building_id)


@get("/landlord/units/{unit_id:uuid}", guards=[landlords_only])
async def unit_page(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template:
    landlord, unit = await _unit(request, db_session, unit_id)
    return await views.unit_detail_page(db_session, landlord, unit)


@get("/landlord/units/{unit_id:uuid}/edit", guards=[landlords_only])
async def edit_unit_form(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    if unit.status not in EDITABLE:
        return Redirect(f"/landlord/units/{unit.id}")
    return await views.edit_unit_page(db_session, landlord, unit, views.unit_values(unit), {})


@post("/landlord/units/{unit_id:uuid}/edit", guards=[landlords_only])
async def save_unit(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    if unit.status not in EDITABLE:
        return await views.unit_detail_page(
            db_session, landlord, unit, notice=views.not_editable_message(), status_code=409
        )
    form = await request.form()
    values, errors = read_unit_form(form)
    await validate_unit(
        db_session, landlord, values, errors, building_id=unit.building_id, unit_id=unit.id
    )
    if errors:
        return await views.edit_unit_page(
            db_session, landlord, unit, dict(form), _form_errors(errors), status_code=400
        )
    await write_unit(db_session, unit.building, values, actor=_user(request), unit=unit)
    return Redirect(f"/landlord/units/{unit.id}", status_code=303)


@post("/landlord/units/{unit_id:uuid}/submit", guards=[landlords_only])
async def send_unit(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    try:
        await submit_unit(db_session, unit, _user(request))
    except ListingInvalid as invalid:
        return await views.unit_detail_page(
            db_session, landlord, unit, alerts=list(invalid.errors.values()), status_code=400
        )
    except TransitionNotAllowed:
        return await views.unit_detail_page(
            db_session, landlord, unit, notice=views.not_editable_message(), status_code=409
        )
    return Redirect(f"/landlord/units/{unit.id}", status_code=303)


@post("/landlord/units/{unit_id:uuid}/revise", guards=[landlords_only])
async def revise(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    if unit.status is not UnitStatus.REJECTED:
        return await views.unit_detail_page(
            db_session, landlord, unit, notice=views.not_editable_message(), status_code=409
        )
    await revise_unit(db_session, unit, _user(request))
    return Redirect(f"/landlord/units/{unit.id}/edit", status_code=303)


@post(
    "/landlord/units/{unit_id:uuid}/photos",
    guards=[landlords_only],
    request_max_body_size=UPLOAD_BODY_LIMIT,
)
async def upload_photo(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], unit_id: FromPath[UUID]
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    if unit.status not in EDITABLE:
        return await views.unit_detail_page(
            db_session, landlord, unit, notice=views.not_editable_message(), status_code=409
        )
    upload = (await request.form()).get("photo")
    try:
        data, filename = await _read_upload(upload)
        await add_unit_photo(
            db_session,
            FileStore.from_settings(request.app.state.settings),
            unit,
            data=data,
            filename=filename,
            uploaded_by=_user(request).id,
        )
    except PhotoRejected as rejected:
        return await views.unit_detail_page(
            db_session, landlord, unit, errors={"photo": str(rejected)}, status_code=400
        )
    return Redirect(f"/landlord/units/{unit.id}", status_code=303)


async def _read_upload(upload: object) -> tuple[bytes, str]:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise PhotoRejected(views.choose_photo_message())
    data = await upload.read(MAX_BYTES + 1)
    await upload.close()
    if len(data) > MAX_BYTES:
        raise PhotoRejected(too_large_message())
    if not data:
        raise PhotoRejected(views.choose_photo_message())
    return data, upload.filename


@post("/landlord/units/{unit_id:uuid}/photos/{photo_id:uuid}/delete", guards=[landlords_only])
async def delete_photo(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    unit_id: FromPath[UUID],
    photo_id: FromPath[UUID],
) -> Template | Redirect:
    landlord, unit = await _unit(request, db_session, unit_id)
    if unit.status not in EDITABLE:
        return await views.unit_detail_page(
            db_session, landlord, unit, notice=views.not_editable_message(), status_code=409
        )
    if not await remove_unit_photo(db_session, unit.id, photo_id):
        raise NotFoundException()
    return Redirect(f"/landlord/units/{unit.id}", status_code=303)


@get("/landlord/buildings/{building_id:uuid}", guards=[landlords_only])
async def building_form(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], building_id: FromPath[UUID]
) -> Template:
    landlord = await _landlord(request, db_session)
    building = await own_building(db_session, landlord, building_id)
    if building is None:
        raise NotFoundException()
    return views.building_page(building, views.building_values(building), {})


@post("/landlord/buildings/{building_id:uuid}", guards=[landlords_only])
async def save_building(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], building_id: FromPath[UUID]
) -> Template | Redirect:
    landlord = await _landlord(request, db_session)
    building = await own_building(db_session, landlord, building_id)
    if building is None:
        raise NotFoundException()
    if not building_editable(building):
        return views.building_page(building, views.building_values(building), {}, status_code=409)
    form = await request.form()
    values, errors = read_building_form(form)
    point = await validate_building(_geocoder(request), values, errors)
    if errors:
        return views.building_page(building, dict(form), errors, status_code=400)
    await write_building(
        db_session, landlord, values, point, actor=_user(request), building=building
    )
    return Redirect("/landlord", status_code=303)


unit_pages = [
    new_unit_form,
    create_unit,
    unit_page,
    edit_unit_form,
    save_unit,
    send_unit,
    revise,
    upload_photo,
    delete_photo,
    building_form,
    save_building,
]
