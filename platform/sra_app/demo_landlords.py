"""Demo guarantee packages, completed landlord profiles and one bank account change to decide.

Everything here is fictional: addresses on invented streets, IBANs of a bank code no bank uses
(999), registration numbers chosen only to pass their checksums.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.packages import GuaranteePackage, PackageKind
from contracts.payout_accounts import ChangeStatus, PayoutAccountChange
from sra.register.models import Agency, Landlord

PACKAGES = (
    dict(
        name="Head lease 9 years",
        kind=PackageKind.HEAD_LEASE,
        duration_years=9,
        damage_cover_months=0,
        management_fee_basis_points=0,
        description="The usual choice: the agency is your tenant for nine years.",
    ),
    dict(
        name="Head lease 3 years",
        kind=PackageKind.HEAD_LEASE,
        duration_years=3,
        damage_cover_months=0,
        management_fee_basis_points=0,
        description="A shorter commitment, renewable.",
    ),
    dict(
        name="Mandate 9 years, vacancy covered, damage up to 2 months, 10 % fee",
        kind=PackageKind.MANDATE,
        duration_years=9,
        vacancy_covered=True,
        arrears_covered=False,
        damage_cover_months=2,
        management_fee_basis_points=1000,
        description="The flat stays let in your name; the agency manages it for you.",
    ),
)

# Postal addresses and numbers of the demo landlords, by their demo e-mail address.
PROFILES: dict[str, dict[str, str | None]] = {
    "hugo.voorbeeld@example.org": dict(
        street="Voorbeeldlaan 1", postcode="1000", municipality="Brussel", company_number=None
    ),
    "exemplum.immo@example.org": dict(
        street="Avenue du Modèle 1",
        postcode="1070",
        municipality="Anderlecht",
        company_number="0123456749",
    ),
    "regie.fictiveville@example.org": dict(
        street="Place de l'Exemple 1",
        postcode="1060",
        municipality="Fictiveville",
        company_number=None,
    ),
}
# Hugo asked to be paid on another account: the finance officer decides on it.
PENDING_CHANGE = ("hugo.voorbeeld@example.org", "BE05999000000575")


async def add_demo_packages_and_accounts(session: AsyncSession, agency: Agency) -> None:
    session.add_all(
        GuaranteePackage(agency_id=agency.id, active=True, **_head_lease_covers(fields))
        for fields in PACKAGES
    )
    landlords = (
        await session.scalars(select(Landlord).where(Landlord.agency_id == agency.id))
    ).all()
    now = datetime.now(UTC)
    for landlord in landlords:
        profile = PROFILES.get(landlord.email or "")
        if profile is None:
            continue
        for name, value in profile.items():
            setattr(landlord, name, value)
        landlord.country = agency.country
        landlord.consent_given = True
        landlord.consent_given_at = now - timedelta(days=90)
        landlord.profile_completed_at = now - timedelta(days=90)
        if landlord.email == PENDING_CHANGE[0]:
            session.add(
                PayoutAccountChange(
                    landlord_id=landlord.id,
                    iban=PENDING_CHANGE[1],
                    requested_at=now - timedelta(days=1),
                    requested_by=landlord.user_id,
                    status=ChangeStatus.PENDING,
                )
            )
    await session.flush()


def _head_lease_covers(fields: dict[str, object]) -> dict[str, object]:
    """A head lease pays the rent whatever happens: vacancy and arrears included."""
    if fields["kind"] is PackageKind.HEAD_LEASE:
        return {**fields, "vacancy_covered": True, "arrears_covered": True}
    return fields
