"""The profile's checks, the gazetteer lookup, what is missing, and what each status allows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sra.geo.gazetteer import Gazetteer
from sra.households.document_store import DocumentRejected, check_upload
from sra.households.profile import EditMode, edit_mode, missing_items
from sra.households.profile_form import (
    cents_text,
    check_member,
    check_needs,
    ethos_choices,
    find_place,
    read_income,
    read_member,
)
from sra.register.models import (
    Household,
    HouseholdIncome,
    HouseholdMember,
    HouseholdStatus,
    IncomeSource,
    MemberRelation,
    PreferredArea,
)

TODAY = date(2025, 6, 1)
PDF = b"%PDF-1.7\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


@given(st.integers(min_value=TODAY.year - 120, max_value=TODAY.year))
def test_any_birth_year_up_to_this_year_is_accepted(year: int) -> None:
    member, errors = check_member("Mia", "child", year, TODAY)

    assert errors == {}
    assert member is not None
    assert member.birth_year == year


@given(st.integers(min_value=TODAY.year + 1, max_value=9999))
def test_a_birth_year_in_the_future_is_refused(year: int) -> None:
    member, errors = check_member("Mia", "child", year, TODAY)

    assert member is None
    assert "future" in errors["birth_year"]


def test_a_birth_year_as_text_is_refused_before_any_other_check() -> None:
    member, errors = read_member(
        {"first_name": "Mia", "relation": "child", "birth_year": "2016a"}, TODAY
    )

    assert member is None
    assert set(errors) == {"birth_year"}


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_an_amount_shown_in_the_form_reads_back_to_the_same_cents(cents: int) -> None:
    income, errors = read_income({"source": "work", "amount": cents_text(cents)})

    assert errors == {}
    assert income is not None
    assert income.amount_cents == cents


@pytest.mark.parametrize("text", ["-1", "-0,50", "1e3", "12.345", "€ 900", "nine"])
def test_an_amount_that_is_not_a_plain_positive_number_is_refused(text: str) -> None:
    income, errors = read_income({"source": "work", "amount": text})

    assert income is None
    assert "amount" in errors


def test_a_wheelchair_user_needs_step_free_access() -> None:
    needs, _errors = check_needs(True, False, False, False, "  ")

    assert needs is not None
    assert needs.step_free is True
    assert needs.other_needs is None


def test_the_situation_select_has_the_13_ethos_categories_in_4_groups() -> None:
    groups = ethos_choices()

    assert len(groups) == 4
    assert [n for _group, categories in groups for n, _label in categories] == list(range(1, 14))


@pytest.mark.parametrize(
    ("status", "mode"),
    [
        (HouseholdStatus.DRAFT, EditMode.FREE),
        (HouseholdStatus.RETURNED, EditMode.FREE),
        (HouseholdStatus.ACTIVE, EditMode.REVERIFY),
        (HouseholdStatus.INACTIVE, EditMode.REVERIFY),
        (HouseholdStatus.SUBMITTED, EditMode.LOCKED),
        (HouseholdStatus.OFFERED, EditMode.LOCKED),
        (HouseholdStatus.HOUSED, EditMode.LOCKED),
        (HouseholdStatus.WITHDRAWN, EditMode.LOCKED),
    ],
)
def test_what_each_status_allows(status: HouseholdStatus, mode: EditMode) -> None:
    assert edit_mode(Household(status=status)) is mode


def household(birth_years: list[int], *, income: bool, area: bool, consent: bool) -> Household:
    return Household(
        members=[
            HouseholdMember(first_name="A", relation=MemberRelation.OTHER, birth_year=y)
            for y in birth_years
        ],
        incomes=[HouseholdIncome(source=IncomeSource.OTHER, amount_cents=0)] if income else [],
        preferred_areas=[PreferredArea(name="Ixelles", lat=50.8, lon=4.4)] if area else [],
        consent_given=consent,
    )


def test_a_complete_application_misses_nothing_even_with_zero_income() -> None:
    complete = household([1985, 2016], income=True, area=True, consent=True)

    assert missing_items(complete, has_identity=True, today=TODAY) == []


def test_missing_items_name_each_gap_in_the_order_of_the_pages() -> None:
    children_only = household([2016, 2019], income=False, area=False, consent=False)

    missing = missing_items(children_only, has_identity=False, today=TODAY)

    assert [m.key for m in missing] == ["members", "incomes", "areas", "documents", "consent"]


@pytest.mark.parametrize(
    ("data", "name", "stored"),
    [
        (PDF, "passport.PDF", "passport.pdf"),
        (PDF, "Scan 12.05.2024", "Scan 12.05.2024.pdf"),
        (JPEG, "payslip.pdf", "payslip.jpg"),
        (JPEG, "../../etc/photo.jpeg", "photo.jpg"),
    ],
)
def test_the_stored_name_ends_in_what_the_file_really_is(
    data: bytes, name: str, stored: str
) -> None:
    assert check_upload(data, name)[1] == stored


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00", "letter.pdf"),
        (b"\x7fELF\x02", "id.png"),
        (PDF, "setup.exe"),
        (PDF, "macro.docm"),
        (b"", "empty.pdf"),
    ],
)
def test_executables_and_misnamed_files_are_refused(data: bytes, name: str) -> None:
    with pytest.raises(DocumentRejected) as refused:
        check_upload(data, name)

    assert refused.value.field == "file"


async def test_a_postcode_is_named_after_its_town() -> None:
    found = await find_place(Gazetteer.shared(), "BE", " 1030 ")

    assert found.area is not None
    assert found.area.name == "1030 Schaerbeek"
    assert round(found.area.lat, 2) == 50.87


async def test_a_town_is_found_without_its_accents() -> None:
    found = await find_place(Gazetteer.shared(), "PL", "krakow")

    assert found.area is not None
    assert found.area.name == "Kraków"


async def test_an_unknown_postcode_says_so() -> None:
    found = await find_place(Gazetteer.shared(), "BE", "9999")

    assert found.area is None
    assert found.error is not None
    assert "9999" in found.error
