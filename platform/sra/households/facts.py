"""The facts the points scheme reads, as a plain Struct: taken from the household record when
an allocation officer verifies it, kept in ``Household.verified_facts``, and never typed.

ETHOS Light's operational categories (FEANTSA) are grouped the way the scheme scores them:
1-2 roofless, 3-7 houseless, 8-10 insecure (9: threat of eviction), 11-13 inadequate
(12: unfit housing, 13: extreme overcrowding).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import msgspec

from sra.register.models import Household


class EthosGroup(StrEnum):
    ROOFLESS = "roofless"
    HOUSELESS = "houseless"
    INSECURE = "insecure"
    INADEQUATE = "inadequate"


# Most severe first: a scheme gives a more severe group at least the points of a milder one.
ETHOS_SEVERITY: tuple[EthosGroup, ...] = (
    EthosGroup.ROOFLESS,
    EthosGroup.HOUSELESS,
    EthosGroup.INSECURE,
    EthosGroup.INADEQUATE,
)

ETHOS_CATEGORIES: dict[int, EthosGroup] = {
    **dict.fromkeys((1, 2), EthosGroup.ROOFLESS),
    **dict.fromkeys((3, 4, 5, 6, 7), EthosGroup.HOUSELESS),
    **dict.fromkeys((8, 9, 10), EthosGroup.INSECURE),
    **dict.fromkeys((11, 12, 13), EthosGroup.INADEQUATE),
}
THREAT_OF_EVICTION = 9
UNFIT_HOUSING = 12
EXTREME_OVERCROWDING = 13


class HouseholdFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the scheme may look at, as verified. Amounts in cents."""

    adults: int
    children: int
    monthly_income_cents: int
    ethos_category: int | None = None
    displaced: bool = False
    eviction_notice: bool = False
    current_rent_cents: int | None = None
    disability: bool = False
    local_tie: bool = False

    @property
    def ethos_group(self) -> EthosGroup | None:
        return ETHOS_CATEGORIES.get(self.ethos_category) if self.ethos_category else None

    @property
    def threatened_with_eviction(self) -> bool:
        return self.eviction_notice or self.ethos_category == THREAT_OF_EVICTION

    @property
    def unfit_home(self) -> bool:
        return self.ethos_category == UNFIT_HOUSING

    @property
    def overcrowded(self) -> bool:
        return self.ethos_category == EXTREME_OVERCROWDING

    @property
    def size(self) -> int:
        return self.adults + self.children


def facts_of(household: Household, today: date | None = None) -> HouseholdFacts:
    """The household's facts as its record states them now (members and incomes loaded)."""
    year = (today or date.today()).year
    adults = household.adults_in(year)
    return HouseholdFacts(
        adults=adults,
        children=len(household.members) - adults,
        monthly_income_cents=household.monthly_income_cents,
        ethos_category=household.ethos_category,
        displaced=household.displaced,
        eviction_notice=household.eviction_date is not None or household.eviction_threat,
        current_rent_cents=household.current_rent_cents,
        disability=household.disability or household.wheelchair,
        local_tie=household.local_tie,
    )


def facts_to_json(facts: HouseholdFacts) -> dict[str, Any]:
    return msgspec.to_builtins(facts)  # type: ignore[no-any-return]


def facts_from_json(data: dict[str, Any]) -> HouseholdFacts:
    return msgspec.convert(data, HouseholdFacts)


def verified_facts(household: Household) -> HouseholdFacts | None:
    """The facts as last verified by an officer, or None before the first verification."""
    return facts_from_json(household.verified_facts) if household.verified_facts else None


def awaiting_reverification(household: Household, today: date | None = None) -> bool:
    """True when a fact changed since the last verification (members, income, situation):
    the points keep using the verified facts until an officer looks again."""
    verified = verified_facts(household)
    return verified is not None and facts_of(household, today) != verified
