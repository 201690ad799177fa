"""The account e-mails, written in the recipient's language."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from sra.i18n import gettext as _
from sra.i18n import use_locale
from sra.identity.models import User
from sra.mail import send_mail
from sra.settings import Settings


def _link(settings: Settings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


def _locale(user: User, settings: Settings) -> str:
    return user.locale or settings.default_locale


async def send_confirmation(
    session: AsyncSession, settings: Settings, user: User, token: str
) -> None:
    assert user.email is not None
    link = _link(settings, f"/confirm/{token}")
    with use_locale(_locale(user, settings)):
        subject = _("Please confirm your e-mail address")
        text = "\n\n".join(
            [
                _("Hello {name},").format(name=user.display_name),
                _(
                    "Thank you for registering with the social rental agency. "
                    "Please confirm your e-mail address by opening this link:"
                ),
                link,
                _("The link works once and for 7 days. If you did not register, ignore this mail."),
            ]
        )
    await send_mail(session, to=user.email, subject=subject, text=text)


async def send_already_registered(session: AsyncSession, settings: Settings, user: User) -> None:
    """Someone registered with an address that has an account: tell its owner, not the form."""
    assert user.email is not None
    with use_locale(_locale(user, settings)):
        subject = _("You already have an account")
        text = "\n\n".join(
            [
                _("Hello {name},").format(name=user.display_name),
                _(
                    "Someone tried to register with this e-mail address, which already has an "
                    "account. You can sign in here:"
                ),
                _link(settings, "/login"),
                _("If you forgot your password, you can choose a new one here:"),
                _link(settings, "/password/forgot"),
            ]
        )
    await send_mail(session, to=user.email, subject=subject, text=text)


async def send_reset(session: AsyncSession, settings: Settings, user: User, token: str) -> None:
    assert user.email is not None
    with use_locale(_locale(user, settings)):
        subject = _("Choose a new password")
        text = "\n\n".join(
            [
                _("Hello {name},").format(name=user.display_name),
                _("To choose a new password, open this link:"),
                _link(settings, f"/password/reset/{token}"),
                _(
                    "The link works once and for one hour. If you did not ask for a new "
                    "password, ignore this mail: your password stays as it is."
                ),
            ]
        )
    await send_mail(session, to=user.email, subject=subject, text=text)
