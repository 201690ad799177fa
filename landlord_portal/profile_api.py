"""Landlord records in the JSON API, checked like the profile page.

A landlord reads and changes only their own record; intake and finance officers read the
records of their agency. Another party's record answers 404. The bank account cannot be
changed here: that needs the password again and a finance officer's approval (the page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import get, put
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.payout_accounts import pending_change
from landlord_portal.profile import client_ip, own_landlord, store_profile
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Landlord
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

STAFF_READERS = (Role.INTAKE_OFFICER, Role.FINANCE_OFFICER)


class PendingChangeOut(msgspec.Struct):
    iban: str
    bic: str | None
    requested_at: datetime


class LandlordOut(msgspec.Struct):
    id: UUID
    kind: str
    name: str
    company_number: str | None
    email: str | None
    phone: str | None
    street: str | None
    postcode: str | None
    municipality: str | None
    country: str | None
    locale: str
    iban: str | None
    bic: str | None
    consent_given: bool
    profile_complete: bool
    pending_bank_account: PendingChangeOut | None = None


class LandlordIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    name: str
    email: str
    street: str
    postcode: str
    municipality: str
    country: str
    locale: str
    consent: bool
    company_number: str = ""
    phone: str = ""
    # Only for the first account; an existing one is changed on the page.
    iban: str = ""
    bic: str = ""


async def _out(session: AsyncSession, landlord: Landlord) -> LandlordOut:
    change = await pending_change(session, landlord.id)
    return LandlordOut(
        id=landlord.id,
        kind=landlord.kind.value,
        name=landlord.name,
        company_number=landlord.company_number,
        email=landlord.email,
        phone=landlord.phone,
        street=landlord.street,
        postcode=landlord.postcode,
        municipality=landlord.municipality,
        country=landlord.country,
        locale=landlord.locale,
        iban=landlord.iban,
        bic=landlord.bic,
        consent_given=landlord.consent_given,
        profile_complete=landlord.profile_complete,
        pending_bank_account=(
            PendingChangeOut(iban=change.iban, bic=change.bic, requested_at=change.requested_at)
            if change
            else None
        ),
    )


def _visible_to(user: CurrentUser) -> Any:
    if user.role is Role.LANDLORD:
        return Landlord.user_id == user.id
    return Landlord.agency_id == user.agency_id


@get(
    "/landlords/me",
    guards=[requires(Role.LANDLORD)],
    tags=["landlords"],
    summary="The signed-in landlord's own profile",
)
async def my_landlord_record(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> LandlordOut:
    return await _out(db_session, await own_landlord(request, db_session))


@put(
    "/landlords/me",
    guards=[requires(Role.LANDLORD)],
    tags=["landlords"],
    summary="Change the signed-in landlord's profile (not the bank account once it is set)",
)
async def change_my_landlord_record(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[LandlordIn]
) -> LandlordOut:
    landlord = await own_landlord(request, db_session)
    new_iban = "".join(data.iban.split()).upper()
    if landlord.iban is not None and new_iban and new_iban != landlord.iban:
        raise ClientException(
            detail=_(
                "The bank account cannot be changed through the API. Please use the page"
                " /landlord/profile/bank-account: it asks for your password again, and a finance"
                " officer approves the new account."
            )
        )
    values = {
        name: str(value)
        for name, value in msgspec.structs.asdict(data).items()
        if name != "consent"
    }
    values["consent"] = "yes" if data.consent else ""
    errors = await store_profile(
        db_session,
        landlord,
        values,
        actor=caller(request),
        ip_address=client_ip(request),
    )
    if errors:
        raise ValidationException(
            detail=_("Nothing was saved. Please correct the fields listed."),
            extra=[{"key": name, "message": message} for name, message in errors.items()],
        )
    return await _out(db_session, landlord)


@get(
    "/landlords",
    guards=[requires(*STAFF_READERS)],
    tags=["landlords"],
    summary="The agency's landlords",
)
async def landlord_records(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> list[LandlordOut]:
    user = caller(request)
    rows = await db_session.scalars(
        select(Landlord).where(_visible_to(user)).order_by(Landlord.name)
    )
    return [await _out(db_session, landlord) for landlord in rows]


@get(
    "/landlords/{landlord_id:uuid}",
    guards=[requires(Role.LANDLORD, *STAFF_READERS)],
    tags=["landlords"],
    summary="One landlord's record",
)
async def landlord_record(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], landlord_id: FromPath[UUID]
) -> LandlordOut:
    user = caller(request)
    landlord = await db_session.scalar(
        select(Landlord).where(Landlord.id == landlord_id, _visible_to(user))
    )
    if landlord is None:
        raise NotFoundException()
    return await _out(db_session, landlord)


landlord_api = [my_landlord_record, change_my_landlord_record, landlord_records, landlord_record]
