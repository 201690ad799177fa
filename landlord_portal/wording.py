"""What each unit status means for the landlord, in plain words (untranslated ids)."""

from __future__ import annotations

from sra.i18n import lazy
from sra.register.models import UnitStatus

UNIT_STATUS_FOR_LANDLORD: dict[UnitStatus, str] = {
    UnitStatus.DRAFT: lazy("You have started describing this flat but not sent it to us yet."),
    UnitStatus.SUBMITTED: lazy(
        "We have received the flat. An intake officer will contact you to plan a visit."
    ),
    UnitStatus.INSPECTION_SCHEDULED: lazy(
        "A visit is planned: we check the flat's condition and safety before we take it."
    ),
    UnitStatus.INSPECTED: lazy("We have visited the flat and are preparing our proposal to you."),
    UnitStatus.APPROVED: lazy(
        "We want to take the flat. It becomes available once the lease with us is signed."
    ),
    UnitStatus.REJECTED: lazy("We cannot take this flat. The reason was sent to you."),
    UnitStatus.AVAILABLE: lazy(
        "The lease with us is signed and we are choosing a household to live there."
    ),
    UnitStatus.OFFERED: lazy("A household has been offered the flat and is deciding."),
    UnitStatus.LET: lazy(
        "A household lives in the flat. We pay you the guaranteed rent each month."
    ),
    UnitStatus.WITHDRAWN: lazy("The flat was taken off the platform."),
}
