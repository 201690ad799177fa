"""The landlord's own profile: onboarding, contact, language, consent and the payout account.

The first bank account is saved with the profile. Changing it later needs the password again
and waits for a finance officer (contracts.payout_accounts).
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.payout_accounts import (
    BankAccount,
    check_bank_account,
    formatted_iban,
    pending_change,
    set_first_account,
)
from landlord_portal.profile_form import (
    FIELDS,
    SELF_CHOSEN_KINDS,
    apply_profile,
    profile_values,
    read_profile,
)
from sra import audit
from sra.i18n import current_locale
from sra.i18n import gettext as _
from sra.identity.current import CurrentUser
from sra.identity.forms import Errors, field
from sra.identity.roles import Role
from sra.register import labels
from sra.register.countries import iso_countries
from sra.register.models import Landlord, LandlordKind
from sra.register.queries import landlord_of_user
from sra.web.guards import AnyRequest, requires
from sra.web.guards import signed_in_user as caller

FIRST_COUNTRIES = ("BE", "PL", "CZ")
AUDITED = (*(f for f in FIELDS if f not in ("iban", "bic", "consent")), "consent_given")


async def own_landlord(request: AnyRequest, db_session: AsyncSession) -> Landlord:
    """The signed-in user's landlord record; 404 while the account is not linked to one."""
    landlord = await landlord_of_user(db_session, caller(request).id)
    if landlord is None:
        raise NotFoundException()
    return landlord


def client_ip(request: AnyRequest) -> str | None:
    return request.client.host if request.client else None


def countries() -> list[tuple[str, str]]:
    """(code, name in the page's language): the agencies' countries first, then A to Z."""
    territories = Locale.parse(current_locale()).territories
    names = {code: str(territories.get(code, code)) for code in iso_countries()}
    rest = sorted((c for c in names if c not in FIRST_COUNTRIES), key=lambda c: names[c])
    return [(code, names[code]) for code in (*FIRST_COUNTRIES, *rest)]


def snapshot(landlord: Landlord) -> dict[str, Any]:
    return {name: getattr(landlord, name) for name in AUDITED}


async def _profile_page(
    db_session: AsyncSession,
    landlord: Landlord,
    *,
    values: dict[str, str],
    errors: Errors | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    kinds = list(SELF_CHOSEN_KINDS)
    if landlord.kind is LandlordKind.AGENCY:
        kinds.append(LandlordKind.AGENCY)
    return Template(
        "landlord/profile.html",
        context={
            "landlord": landlord,
            "values": values,
            "errors": errors or {},
            "notice": notice,
            "kinds": kinds,
            "kind_label": labels.LANDLORD_KIND,
            "countries": countries(),
            "iban": formatted_iban(landlord.iban) if landlord.iban else None,
            "pending": await pending_change(db_session, landlord.id),
        },
        status_code=status,
    )


@get("/landlord/profile", guards=[requires(Role.LANDLORD)])
async def profile_form(
    request: AnyRequest, db_session: NamedDependency[AsyncSession], done: FromQuery[str] = ""
) -> Template:
    landlord = await own_landlord(request, db_session)
    notices = {
        "saved": _("Your profile is saved."),
        "change_requested": _(
            "Your new bank account is waiting for approval by the agency. We sent you an e-mail"
            " about it. Until it is approved we pay you on your current account."
        ),
    }
    return await _profile_page(
        db_session, landlord, values=profile_values(landlord), notice=notices.get(done)
    )


async def store_profile(
    db_session: AsyncSession,
    landlord: Landlord,
    values: dict[str, str],
    *,
    actor: CurrentUser,
    ip_address: str | None,
) -> Errors:
    """Check and save the profile (and the first bank account); the errors when nothing saved."""
    profile, errors = read_profile(values, landlord)
    account: BankAccount | None = None
    if landlord.iban is None:
        account, account_errors = check_bank_account(values["iban"], values["bic"])
        errors.update(account_errors)
    if profile is None or errors:
        return errors
    before = snapshot(landlord)
    apply_profile(landlord, profile)
    after = snapshot(landlord)
    if account is not None:
        set_first_account(landlord, account)
        after.update(iban=account.iban, bic=account.bic)
    await audit.record(
        db_session,
        actor_id=actor.id,
        actor_label=actor.display_name,
        action="landlord.profile_saved",
        entity="landlord",
        entity_id=landlord.id,
        before=before,
        after=after,
        ip_address=ip_address,
    )
    await db_session.flush()
    return {}


@post("/landlord/profile", guards=[requires(Role.LANDLORD)])
async def save_profile(
    request: AnyRequest, db_session: NamedDependency[AsyncSession]
) -> Response[Any]:
    landlord = await own_landlord(request, db_session)
    form = await request.form()
    values = {name: field(form, name) for name in FIELDS}
    errors = await store_profile(
        db_session,
        landlord,
        values,
        actor=caller(request),
        ip_address=client_ip(request),
    )
    if errors:
        return await _profile_page(db_session, landlord, values=values, errors=errors, status=400)
    return Redirect("/landlord/profile?done=saved", status_code=303)


profile_pages = [profile_form, save_profile]
