"""``/api/v1/leases``: head leases and mandates in the JSON API, scoped as the pages are.

A landlord lists and reads their own leases and accepts a proposal (the same signature as the
page's box: ``{"read_and_accept": true}``, with the time and address recorded); intake and
finance officers read their agency's leases. Another party's lease answers 404; accepting a
lease that was withdrawn answers 409; accepting twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import leases
from contracts.lease_pages import READERS
from contracts.leases import HeadLease, LeaseError, LeaseStatus, add_years
from contracts.packages import PackageKind
from contracts.staff_scope import agency_id_of
from sra.files import FileStore
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.roles import Role
from sra.register.models import Landlord
from sra.register.queries import landlord_of_user
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as _user


class LeaseOut(msgspec.Struct, kw_only=True):
    id: UUID
    unit_id: UUID
    landlord_id: UUID
    package_id: UUID
    kind: PackageKind
    status: LeaseStatus
    guaranteed_rent_cents: int
    start_date: date
    end_date: date
    duration_years: int
    index_base_month: date | None
    accepted_at: datetime | None
    # The signed contract, once accepted: its SHA-256 and where to download it.
    contract_sha256: str | None
    contract_url: str | None
    created_at: datetime


class AcceptIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    read_and_accept: bool


def _out(lease: HeadLease, user: CurrentUser) -> LeaseOut:
    pages = "/landlord/leases" if user.role is Role.LANDLORD else "/staff/leases"
    signed = lease.status is LeaseStatus.ACCEPTED
    return LeaseOut(
        id=lease.id,
        unit_id=lease.unit_id,
        landlord_id=lease.landlord_id,
        package_id=lease.package_id,
        kind=lease.kind,
        status=lease.status,
        guaranteed_rent_cents=lease.guaranteed_rent_cents,
        start_date=lease.start_date,
        end_date=add_years(lease.start_date, lease.duration_years),
        duration_years=lease.duration_years,
        index_base_month=lease.index_base_month,
        accepted_at=lease.accepted_at,
        contract_sha256=lease.pdf_sha256 if signed else None,
        contract_url=f"{pages}/{lease.id}/contract.pdf" if signed else None,
        created_at=lease.created_at,
    )


async def _readable(
    session: AsyncSession,
    user: CurrentUser,
    *,
    lease_id: UUID | None = None,
    unit_id: UUID | None = None,
    status: LeaseStatus | None = None,
) -> list[HeadLease]:
    """The caller's leases: a landlord's own, or those of an officer's agency."""
    query = select(HeadLease).join(Landlord, Landlord.id == HeadLease.landlord_id)
    if user.role is Role.LANDLORD:
        landlord = await landlord_of_user(session, user.id)
        query = query.where(HeadLease.landlord_id == (landlord.id if landlord else None))
    else:
        query = query.where(Landlord.agency_id == await agency_id_of(session, user))
    if lease_id is not None:
        query = query.where(HeadLease.id == lease_id)
    if unit_id is not None:
        query = query.where(HeadLease.unit_id == unit_id)
    if status is not None:
        query = query.where(HeadLease.status == status)
    rows = await session.scalars(query.order_by(HeadLease.created_at.desc(), HeadLease.id))
    return list(rows)


async def _one(session: AsyncSession, user: CurrentUser, lease_id: UUID) -> HeadLease:
    found = await _readable(session, user, lease_id=lease_id)
    if not found:
        raise NotFoundException()
    return found[0]


@get(
    "/leases",
    guards=[requires(Role.LANDLORD, *READERS)],
    tags=["leases"],
    summary="List head leases and mandates",
)
async def list_leases(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    unit: FromQuery[UUID | None] = None,
    status: FromQuery[LeaseStatus | None] = None,
) -> list[LeaseOut]:
    """A landlord's own leases, or the agency's for intake and finance officers; newest first."""
    user = _user(request)
    found = await _readable(db_session, user, unit_id=unit, status=status)
    return [_out(lease, user) for lease in found]


@get(
    "/leases/{lease_id:uuid}",
    guards=[requires(Role.LANDLORD, *READERS)],
    tags=["leases"],
    summary="Read a head lease or mandate",
)
async def read_lease(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], lease_id: FromPath[UUID]
) -> LeaseOut:
    user = _user(request)
    return _out(await _one(db_session, user, lease_id), user)


@post(
    "/leases/{lease_id:uuid}/accept",
    guards=[requires(Role.LANDLORD)],
    tags=["leases"],
    summary="Accept a proposed lease (the landlord's signature)",
    status_code=200,
)
async def accept_lease(
    request: AnyRequest,
    db_session: NamedDependency[AsyncSession],
    lease_id: FromPath[UUID],
    data: JSONBody[AcceptIn],
) -> LeaseOut:
    """Accepting an accepted lease changes nothing; a withdrawn proposal answers 409."""
    user = _user(request)
    lease = await _one(db_session, user, lease_id)
    if lease.status is LeaseStatus.PROPOSED and not data.read_and_accept:
        message = _("Please tick the box to confirm you have read and accept the terms.")
        raise ValidationException(
            detail=_("The request body or parameters are not valid."),
            extra=[{"key": "read_and_accept", "message": message, "source": "body"}],
        )
    try:
        await leases.accept(
            db_session,
            lease,
            store=FileStore.from_settings(request.app.state.settings),
            actor=user,
            ip_address=request.client.host if request.client else None,
        )
    except LeaseError:
        raise ClientException(
            detail=_("This proposal was withdrawn by the agency: it can no longer be accepted."),
            status_code=409,
        ) from None
    return _out(lease, user)


lease_api = [list_leases, read_lease, accept_lease]
