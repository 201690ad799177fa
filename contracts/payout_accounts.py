"""The bank account a landlord is paid on, and changes to it that wait for a finance officer.

The account in force is ``Landlord.iban``/``Landlord.bic``: set once at onboarding, then only
replaced when a finance officer approves a requested change. Payouts read it through
:func:`payout_iban`, so a requested but unapproved account is never paid. A hijacked landlord
account therefore cannot redirect money on its own: the request needs the password, the
landlord is warned by e-mail, and a person at the agency approves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import Enum, ForeignKey, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from contracts.payout_mails import send_change_decided, send_change_requested
from sra import audit
from sra.db.base import Base
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors
from sra.register.models import Landlord


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PayoutAccountChange(Base):
    __tablename__ = "payout_account_change"

    landlord_id: Mapped[UUID] = mapped_column(
        ForeignKey("landlord.id", ondelete="CASCADE"), index=True
    )
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    requested_at: Mapped[datetime] = mapped_column(
        DateTimeUTC(timezone=True), default=lambda: datetime.now(UTC)
    )
    requested_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[ChangeStatus] = mapped_column(
        Enum(
            ChangeStatus,
            name="payout_change_status",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ChangeStatus.PENDING,
        index=True,
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    decided_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def iban_formatted(self) -> str:
        return formatted_iban(self.iban)


class ChangeNotAllowed(Exception):
    """The change was already decided, or the request makes no sense (same account)."""


@dataclass(frozen=True, slots=True)
class BankAccount:
    iban: str  # compact
    bic: str | None


def formatted_iban(iban: str) -> str:
    """In groups of four, as printed on bank statements."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def iban_ending(iban: str) -> str:
    """The last four characters: enough to recognise an account, not to use it."""
    return iban[-4:]


def check_bank_account(iban_text: str, bic_text: str) -> tuple[BankAccount | None, Errors]:
    """Validate an IBAN (checksum, length per country) and a BIC (optional when the IBAN tells)."""
    errors: Errors = {}
    if not iban_text.strip():
        errors["iban"] = _("Please enter the IBAN of the account we should pay you on.")
        return None, errors
    try:
        iban = IBAN(iban_text)
    except SchwiftyException:
        errors["iban"] = _(
            "This is not a valid IBAN. Please copy it from your bank statement,"
            " for example BE71 0961 2345 6769."
        )
        return None, errors
    bic = _bic(iban, bic_text.strip(), errors)
    if errors:
        return None, errors
    return BankAccount(iban=str(iban.compact), bic=bic), errors


def _bic(iban: IBAN, text: str, errors: Errors) -> str | None:
    if not text:
        derived = iban.bic
        if derived is None:
            errors["bic"] = _("Please enter the BIC of your bank: we cannot find it from the IBAN.")
            return None
        return str(derived.compact)
    try:
        bic = BIC(text)
    except SchwiftyException:
        errors["bic"] = _(
            "This is not a valid BIC. A BIC has 8 or 11 letters and digits, for example GKCCBEBB."
        )
        return None
    if bic.country_code != iban.country_code:
        errors["bic"] = _("This BIC belongs to a bank in another country than the IBAN.")
        return None
    return str(bic.compact)


async def payout_iban(session: AsyncSession, landlord_id: UUID) -> str | None:
    """The IBAN payouts go to: the approved account only, never a pending change."""
    iban: str | None = await session.scalar(select(Landlord.iban).where(Landlord.id == landlord_id))
    return iban


def set_first_account(landlord: Landlord, account: BankAccount) -> None:
    """Onboarding: the first account is in force at once; later ones go through approval."""
    if landlord.iban is not None:
        raise ChangeNotAllowed("the landlord already has an account: request a change")
    landlord.iban = account.iban
    landlord.bic = account.bic


async def pending_change(session: AsyncSession, landlord_id: UUID) -> PayoutAccountChange | None:
    change: PayoutAccountChange | None = await session.scalar(
        select(PayoutAccountChange).where(
            PayoutAccountChange.landlord_id == landlord_id,
            PayoutAccountChange.status == ChangeStatus.PENDING,
        )
    )
    return change


async def request_change(
    session: AsyncSession,
    landlord: Landlord,
    account: BankAccount,
    *,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> PayoutAccountChange:
    """Record a requested account (the caller has checked the password) and warn the landlord.

    A newer request replaces a pending one, so the finance officer decides on one account only.
    """
    if account.iban == landlord.iban and account.bic == landlord.bic:
        raise ChangeNotAllowed("this is already the account in force")
    earlier = await pending_change(session, landlord.id)
    if earlier is not None:
        _close(earlier, ChangeStatus.REJECTED, None, "Replaced by a newer request.")
    change = PayoutAccountChange(
        landlord_id=landlord.id,
        iban=account.iban,
        bic=account.bic,
        requested_at=datetime.now(UTC),
        requested_by=actor.id,
        status=ChangeStatus.PENDING,
    )
    session.add(change)
    await session.flush()
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="payout_account.requested",
        entity="payout_account_change",
        entity_id=change.id,
        after=_values(change),
        ip_address=ip_address,
    )
    await send_change_requested(session, landlord, change)
    await session.flush()
    return change


async def changes_to_decide(
    session: AsyncSession, agency_id: UUID
) -> list[tuple[PayoutAccountChange, Landlord]]:
    """Pending changes of the agency's landlords, oldest first."""
    rows = await session.execute(
        select(PayoutAccountChange, Landlord)
        .join(Landlord, Landlord.id == PayoutAccountChange.landlord_id)
        .where(
            Landlord.agency_id == agency_id,
            PayoutAccountChange.status == ChangeStatus.PENDING,
        )
        .order_by(PayoutAccountChange.requested_at)
    )
    return [(change, landlord) for change, landlord in rows.tuples()]


async def recent_decisions(
    session: AsyncSession, agency_id: UUID, limit: int = 20
) -> list[tuple[PayoutAccountChange, Landlord]]:
    rows = await session.execute(
        select(PayoutAccountChange, Landlord)
        .join(Landlord, Landlord.id == PayoutAccountChange.landlord_id)
        .where(
            Landlord.agency_id == agency_id,
            PayoutAccountChange.status != ChangeStatus.PENDING,
        )
        .order_by(PayoutAccountChange.decided_at.desc())
        .limit(limit)
    )
    return [(change, landlord) for change, landlord in rows.tuples()]


async def decide(
    session: AsyncSession,
    agency_id: UUID,
    change_id: UUID,
    *,
    approve: bool,
    reason: str,
    actor: CurrentUser,
    ip_address: str | None = None,
) -> PayoutAccountChange | None:
    """Approve (the account comes into force) or reject (with a reason) a pending change.

    None when the change is not one of the agency's (the caller answers 404).
    """
    row = (
        (
            await session.execute(
                select(PayoutAccountChange, Landlord)
                .join(Landlord, Landlord.id == PayoutAccountChange.landlord_id)
                .where(PayoutAccountChange.id == change_id, Landlord.agency_id == agency_id)
            )
        )
        .tuples()
        .first()
    )
    if row is None:
        return None
    change, landlord = row
    if change.status is not ChangeStatus.PENDING:
        raise ChangeNotAllowed("this change was already decided")
    if approve:
        before = {"iban": landlord.iban, "bic": landlord.bic}
        landlord.iban = change.iban
        landlord.bic = change.bic
        await audit.record(
            session,
            actor_id=actor.id,
            actor_label=actor.display_name,
            action="landlord.payout_account_changed",
            entity="landlord",
            entity_id=landlord.id,
            before=before,
            after={"iban": landlord.iban, "bic": landlord.bic},
            ip_address=ip_address,
        )
    _close(change, ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED, actor.id, reason)
    await audit.record(
        session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="payout_account.approved" if approve else "payout_account.rejected",
        entity="payout_account_change",
        entity_id=change.id,
        before={"status": ChangeStatus.PENDING},
        after=_values(change),
        ip_address=ip_address,
    )
    await send_change_decided(session, landlord, change)
    await session.flush()
    return change


def _close(
    change: PayoutAccountChange, status: ChangeStatus, decided_by: UUID | None, reason: str
) -> None:
    change.status = status
    change.decided_at = datetime.now(UTC)
    change.decided_by = decided_by
    change.reason = reason


def _values(change: PayoutAccountChange) -> dict[str, object]:
    return {
        "landlord_id": change.landlord_id,
        "iban": change.iban,
        "bic": change.bic,
        "status": change.status,
        "decided_by": change.decided_by,
        "reason": change.reason,
    }


audit.register_entity(
    "payout_account_change",
    fields={"landlord_id", "iban", "bic", "status", "decided_by", "reason"},
    personal={"iban", "bic"},
)
