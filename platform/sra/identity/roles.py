"""The roles a user can hold. A user holds exactly one."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LANDLORD = "landlord"
    HOUSEHOLD = "household"
    INTAKE_OFFICER = "intake_officer"
    ALLOCATION_OFFICER = "allocation_officer"
    FINANCE_OFFICER = "finance_officer"
    CASEWORKER = "caseworker"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"

    @property
    def is_staff(self) -> bool:
        return self not in (Role.LANDLORD, Role.HOUSEHOLD)


STAFF_ROLES = frozenset(role for role in Role if role.is_staff)
