"""Words for the register's codes, as people read them. Untranslated ids: templates call ``_()``."""

from __future__ import annotations

from sra.i18n import lazy
from sra.register.models import (
    HouseholdStatus,
    LandlordKind,
    MemberRelation,
    SupportNeed,
    UnitStatus,
)

UNIT_STATUS: dict[UnitStatus, str] = {
    UnitStatus.DRAFT: lazy("Draft"),
    UnitStatus.SUBMITTED: lazy("Submitted"),
    UnitStatus.INSPECTION_SCHEDULED: lazy("Inspection scheduled"),
    UnitStatus.INSPECTED: lazy("Inspected"),
    UnitStatus.APPROVED: lazy("Approved"),
    UnitStatus.REJECTED: lazy("Rejected"),
    UnitStatus.AVAILABLE: lazy("Available"),
    UnitStatus.OFFERED: lazy("Offered"),
    UnitStatus.LET: lazy("Let"),
    UnitStatus.WITHDRAWN: lazy("Withdrawn"),
}

HOUSEHOLD_STATUS: dict[HouseholdStatus, str] = {
    HouseholdStatus.DRAFT: lazy("Draft"),
    HouseholdStatus.SUBMITTED: lazy("Submitted"),
    HouseholdStatus.RETURNED: lazy("More information asked"),
    HouseholdStatus.ACTIVE: lazy("Active"),
    HouseholdStatus.REJECTED: lazy("Rejected"),
    HouseholdStatus.OFFERED: lazy("Offered a home"),
    HouseholdStatus.HOUSED: lazy("Housed"),
    HouseholdStatus.INACTIVE: lazy("Inactive"),
    HouseholdStatus.WITHDRAWN: lazy("Withdrawn"),
}

SUPPORT_NEED: dict[SupportNeed, str] = {
    SupportNeed.LIGHT: lazy("Light support"),
    SupportNeed.REGULAR: lazy("Regular support"),
    SupportNeed.INTENSIVE: lazy("Intensive support (Housing First)"),
}

RELATION: dict[MemberRelation, str] = {
    MemberRelation.APPLICANT: lazy("Applicant"),
    MemberRelation.PARTNER: lazy("Partner"),
    MemberRelation.CHILD: lazy("Child"),
    MemberRelation.PARENT: lazy("Parent"),
    MemberRelation.OTHER: lazy("Other member"),
}

LANDLORD_KIND: dict[LandlordKind, str] = {
    LandlordKind.PERSON: lazy("Private owner"),
    LandlordKind.COMPANY: lazy("Company"),
    LandlordKind.PUBLIC_BODY: lazy("Public body"),
    LandlordKind.AGENCY: lazy("The agency itself"),
}
