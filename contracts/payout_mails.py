"""E-mails about the payout account, in the landlord's language.

They go to the sign-in address and to the contact address, when they differ: someone who
took over the account and changed the contact address cannot silence the warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.i18n import use_locale
from sra.identity.models import User
from sra.mail import send_mail
from sra.register.models import Landlord

if TYPE_CHECKING:
    from contracts.payout_accounts import PayoutAccountChange


async def recipients(session: AsyncSession, landlord: Landlord) -> list[str]:
    addresses: list[str] = []
    if landlord.user_id is not None:
        account = await session.scalar(select(User.email).where(User.id == landlord.user_id))
        if account:
            addresses.append(account)
    if landlord.email and landlord.email.lower() not in (a.lower() for a in addresses):
        addresses.append(landlord.email)
    return addresses


async def send_change_requested(
    session: AsyncSession, landlord: Landlord, change: PayoutAccountChange
) -> None:
    with use_locale(landlord.locale):
        subject = _("Security notice: a change of your bank account was requested")
        text = "\n\n".join(
            [
                _("Hello {name},").format(name=landlord.name),
                _(
                    "Someone signed in to your account asked us to pay you on a new bank"
                    " account, ending in {ending}."
                ).format(ending=change.iban[-4:]),
                _(
                    "We keep paying you on your current account until a finance officer of the"
                    " agency has checked and approved the change."
                ),
                _(
                    "If you did not ask for this, contact the agency at once and change your"
                    " password: we will not approve the change."
                ),
            ]
        )
    for address in await recipients(session, landlord):
        await send_mail(session, to=address, subject=subject, text=text)


async def send_change_decided(
    session: AsyncSession, landlord: Landlord, change: PayoutAccountChange
) -> None:
    from contracts.payout_accounts import ChangeStatus

    approved = change.status is ChangeStatus.APPROVED
    with use_locale(landlord.locale):
        if approved:
            subject = _("Your new bank account is approved")
            message = _("From now on we pay you on the account ending in {ending}.").format(
                ending=change.iban[-4:]
            )
        else:
            subject = _("Your new bank account was not approved")
            message = _(
                "We keep paying you on your current account. The finance officer wrote: {reason}"
            ).format(reason=change.reason)
        text = "\n\n".join([_("Hello {name},").format(name=landlord.name), message])
    for address in await recipients(session, landlord):
        await send_mail(session, to=address, subject=subject, text=text)
