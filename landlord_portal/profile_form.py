"""Reading and checking the landlord's profile, the same way for the page and the API.

Each check gives a translated message for the field it concerns; nothing is stored unless
every field is right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from stdnum.exceptions import ValidationError

from sra.i18n import LOCALES
from sra.i18n import gettext as _
from sra.identity.forms import Errors, check_display_name, check_email
from sra.register.countries import iso_countries
from sra.register.models import Landlord, LandlordKind

# The fields of the form and of the API body, in the order the page shows them.
FIELDS = (
    "kind",
    "name",
    "company_number",
    "email",
    "phone",
    "street",
    "postcode",
    "municipality",
    "country",
    "locale",
    "iban",
    "bic",
    "consent",
)
# A landlord chooses among these; "agency" (the agency's own premises) is set by staff.
SELF_CHOSEN_KINDS = (LandlordKind.PERSON, LandlordKind.COMPANY, LandlordKind.PUBLIC_BODY)
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,40}$")
POSTCODE_PATTERNS = {
    "BE": re.compile(r"^\d{4}$"),
    "PL": re.compile(r"^\d{2}-\d{3}$"),
    "CZ": re.compile(r"^\d{3} ?\d{2}$"),
}
OTHER_POSTCODE = re.compile(r"^[A-Za-z0-9 -]{2,10}$")
OTHER_COMPANY_NUMBER = re.compile(r"^[A-Za-z0-9.\- /]{2,20}$")


@dataclass(frozen=True, slots=True)
class Profile:
    kind: LandlordKind
    name: str
    company_number: str | None
    email: str
    phone: str | None
    street: str
    postcode: str
    municipality: str
    country: str
    locale: str


def read_profile(values: Mapping[str, str], landlord: Landlord) -> tuple[Profile | None, Errors]:
    """The checked profile, or None and one message per wrong field."""
    errors: Errors = {}
    kind = _kind(values.get("kind", ""), landlord, errors)
    country = values.get("country", "").upper()
    if country not in iso_countries():
        errors["country"] = _("Please choose the country of your address.")
    for name, error in (
        ("name", check_display_name(values.get("name", ""))),
        ("email", check_email(values.get("email", ""))),
        ("phone", _phone_error(values.get("phone", ""))),
        ("street", _required(values.get("street", ""), _("Please enter your street and number."))),
        ("postcode", _postcode_error(values.get("postcode", ""), country)),
        ("municipality", _required(values.get("municipality", ""), _("Please enter your town."))),
        ("locale", None if values.get("locale") in LOCALES else _("Please choose a language.")),
        ("consent", None if values.get("consent") else _consent_missing()),
    ):
        if error:
            errors[name] = error
    company_number = _company_number(values.get("company_number", ""), kind, country, errors)
    if errors or kind is None:
        return None, errors
    return Profile(
        kind=kind,
        name=values["name"],
        company_number=company_number,
        email=values["email"],
        phone=values.get("phone") or None,
        street=values["street"],
        postcode=values["postcode"],
        municipality=values["municipality"],
        country=country,
        locale=values["locale"],
    ), errors


def apply_profile(landlord: Landlord, profile: Profile) -> None:
    """Write a checked profile; the first complete save ends onboarding."""
    now = datetime.now(UTC)
    landlord.kind = profile.kind
    landlord.name = profile.name
    landlord.company_number = profile.company_number
    landlord.email = profile.email
    landlord.phone = profile.phone
    landlord.street = profile.street
    landlord.postcode = profile.postcode
    landlord.municipality = profile.municipality
    landlord.country = profile.country
    landlord.locale = profile.locale
    if not landlord.consent_given:
        landlord.consent_given = True
        landlord.consent_given_at = now
    if landlord.profile_completed_at is None:
        landlord.profile_completed_at = now


def profile_values(landlord: Landlord) -> dict[str, str]:
    """The stored profile as form values (to fill the form)."""
    return {
        "kind": landlord.kind.value,
        "name": landlord.name,
        "company_number": landlord.company_number or "",
        "email": landlord.email or "",
        "phone": landlord.phone or "",
        "street": landlord.street or "",
        "postcode": landlord.postcode or "",
        "municipality": landlord.municipality or "",
        "country": landlord.country or "",
        "locale": landlord.locale,
        "consent": "yes" if landlord.consent_given else "",
    }


def _consent_missing() -> str:
    return _("We can only work with you if you agree to this use of your data.")


def _required(value: str, message: str) -> str | None:
    if not value:
        return message
    if len(value) > 100:
        return _("This can be at most 100 characters long.")
    return None


def _kind(value: str, landlord: Landlord, errors: Errors) -> LandlordKind | None:
    if landlord.kind is LandlordKind.AGENCY and value == LandlordKind.AGENCY.value:
        return LandlordKind.AGENCY
    try:
        kind = LandlordKind(value)
    except ValueError:
        kind = None
    if kind not in SELF_CHOSEN_KINDS:
        errors["kind"] = _(
            "Please say whether you are a private person, a company or a public body."
        )
        return None
    return kind


def _phone_error(value: str) -> str | None:
    if value and not PHONE_PATTERN.match(value):
        return _("Please enter a phone number with digits only, for example +32 470 12 34 56.")
    return None


def _postcode_error(value: str, country: str) -> str | None:
    if not value:
        return _("Please enter your postcode.")
    pattern = POSTCODE_PATTERNS.get(country, OTHER_POSTCODE)
    if not pattern.match(value):
        return _("This is not a postcode of the country you chose.")
    return None


def _company_number(
    value: str, kind: LandlordKind | None, country: str, errors: Errors
) -> str | None:
    """The compact number; required for companies, optional for public bodies."""
    if kind not in (LandlordKind.COMPANY, LandlordKind.PUBLIC_BODY):
        return None
    if not value:
        if kind is LandlordKind.COMPANY:
            errors["company_number"] = _("Please enter the company's registration number.")
        return None
    try:
        return _validated_company_number(value, country)
    except ValidationError:
        errors["company_number"] = _company_number_message(country)
        return None


def _validated_company_number(value: str, country: str) -> str:
    from stdnum.be import vat as be_enterprise
    from stdnum.cz import dic as cz_tax
    from stdnum.pl import nip as pl_nip

    if country == "BE":
        return str(be_enterprise.validate(value))
    if country == "PL":
        return str(pl_nip.validate(value))
    if country == "CZ":
        number = str(cz_tax.validate(value))
        if len(number) != 8:  # 9 and 10 digits are people's numbers, not an IČO
            raise ValidationError()
        return number
    if not OTHER_COMPANY_NUMBER.match(value):
        raise ValidationError()
    return value.replace(" ", "").upper()


def _company_number_message(country: str) -> str:
    messages = {
        "BE": _("This is not a valid Belgian enterprise number, for example 0123.456.749."),
        "PL": _("This is not a valid Polish NIP, for example 123-456-32-18."),
        "CZ": _("This is not a valid Czech IČO: it has 8 digits, for example 12345679."),
    }
    return messages.get(
        country, _("A registration number has 2 to 20 letters, digits, dots or dashes.")
    )
