"""The profile checks on their own: company numbers per country, postcodes, kinds."""

from __future__ import annotations

import pytest

from landlord_portal.profile_form import read_profile
from sra.register.models import Landlord, LandlordKind
from tests.landlord_portal.accounts import GOOD_PROFILE


def landlord(kind: LandlordKind = LandlordKind.PERSON) -> Landlord:
    return Landlord(kind=kind, name="Someone", locale="en")


@pytest.mark.parametrize(
    ("country", "postcode", "number", "stored"),
    [
        ("BE", "1000", "0123.456.749", "0123456749"),
        ("PL", "00-950", "123-456-32-18", "1234563218"),
        ("CZ", "110 00", "12345679", "12345679"),
        ("LU", "L-1111", "B 123456", "B123456"),
    ],
)
def test_company_numbers_are_checked_by_the_rules_of_the_address_country(
    country: str, postcode: str, number: str, stored: str
) -> None:
    values = {
        **GOOD_PROFILE,
        "kind": "company",
        "country": country,
        "postcode": postcode,
        "company_number": number,
    }

    profile, errors = read_profile(values, landlord())

    assert errors == {}
    assert profile is not None
    assert profile.company_number == stored


@pytest.mark.parametrize(
    ("country", "postcode", "number"),
    [
        ("BE", "1000", "0123.456.748"),
        ("PL", "00-950", "123-456-32-19"),
        ("CZ", "110 00", "12345678"),
        ("CZ", "110 00", "7103192745"),  # a person's birth number, not a company's IČO
    ],
)
def test_wrong_company_numbers_are_refused(country: str, postcode: str, number: str) -> None:
    values = {
        **GOOD_PROFILE,
        "kind": "company",
        "country": country,
        "postcode": postcode,
        "company_number": number,
    }

    profile, errors = read_profile(values, landlord())

    assert profile is None
    assert set(errors) == {"company_number"}


def test_a_public_body_may_leave_the_number_empty_and_a_person_has_none() -> None:
    public, errors = read_profile({**GOOD_PROFILE, "kind": "public_body"}, landlord())
    assert errors == {}
    assert public is not None
    assert public.company_number is None

    person, errors = read_profile(
        {**GOOD_PROFILE, "kind": "person", "company_number": "0123456749"}, landlord()
    )
    assert errors == {}
    assert person is not None
    assert person.company_number is None


def test_only_staff_set_the_agency_kind_but_it_stays_when_already_set() -> None:
    _, errors = read_profile({**GOOD_PROFILE, "kind": "agency"}, landlord())
    assert set(errors) == {"kind"}

    profile, errors = read_profile(
        {**GOOD_PROFILE, "kind": "agency"}, landlord(LandlordKind.AGENCY)
    )
    assert errors == {}
    assert profile is not None
    assert profile.kind is LandlordKind.AGENCY


@pytest.mark.parametrize(
    ("country", "good", "bad"),
    [("BE", "1050", "105"), ("PL", "31-042", "31042"), ("CZ", "60200", "6020")],
)
def test_postcodes_follow_the_country(country: str, good: str, bad: str) -> None:
    base = {**GOOD_PROFILE, "country": country}
    assert read_profile({**base, "postcode": good}, landlord())[1] == {}
    assert set(read_profile({**base, "postcode": bad}, landlord())[1]) == {"postcode"}
