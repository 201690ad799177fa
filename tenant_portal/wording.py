"""What each household status means for the household, in plain words (untranslated ids)."""

from __future__ import annotations

from sra.i18n import lazy
from sra.register.models import Household, HouseholdStatus

HOUSEHOLD_STATUS_FOR_HOUSEHOLD: dict[HouseholdStatus, str] = {
    HouseholdStatus.DRAFT: lazy(
        "You have started your application but not sent it yet. Send it when it is complete."
    ),
    HouseholdStatus.SUBMITTED: lazy(
        "We have received your application. An officer checks it; we will tell you when it is "
        "accepted or if we need more information."
    ),
    HouseholdStatus.RETURNED: lazy(
        "We need more information before we can accept your application. Please read our "
        "message, complete your application and send it again."
    ),
    HouseholdStatus.ACTIVE: lazy(
        "Your application is accepted and you are on the waiting list. You can receive an offer "
        "of a home that fits your household, your needs and your budget."
    ),
    HouseholdStatus.REJECTED: lazy(
        "We cannot accept your application. The reason was sent to you; you can ask us to "
        "review it."
    ),
    HouseholdStatus.OFFERED: lazy(
        "A home has been offered to you. Please answer before the deadline in the offer."
    ),
    HouseholdStatus.HOUSED: lazy("You live in a home let by the agency."),
    HouseholdStatus.INACTIVE: lazy(
        "Your application is paused because it was not renewed this year. Confirm it to go back "
        "on the waiting list; your registration date is kept."
    ),
    HouseholdStatus.WITHDRAWN: lazy("Your application was withdrawn."),
}


def access_needs(household: Household) -> list[str]:
    """The household's access needs as untranslated ids, in a fixed order."""
    needs = [
        (household.wheelchair, lazy("wheelchair-accessible home")),
        (household.step_free, lazy("no steps to the door")),
        (household.ground_floor, lazy("ground floor")),
    ]
    return [label for wanted, label in needs if wanted]
