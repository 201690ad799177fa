"""The demo adds guarantee packages, completed landlord profiles and one change to decide."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.packages import GuaranteePackage, PackageKind
from contracts.payout_accounts import ChangeStatus, PayoutAccountChange, payout_iban
from landlord_portal.profile_form import profile_values, read_profile
from sra.register.models import Landlord
from sra.settings import Settings
from sra_app.demo_cli import seed
from sra_app.demo_landlords import PENDING_CHANGE


async def test_demo_has_three_packages_complete_profiles_and_a_pending_account_change(
    settings: Settings, db: AsyncSession
) -> None:
    await seed(msgspec.structs.replace(settings, demo=True), if_empty=False)

    packages = list(await db.scalars(select(GuaranteePackage)))
    assert len(packages) == 3
    assert {p.kind for p in packages} == {PackageKind.HEAD_LEASE, PackageKind.MANDATE}
    assert all(p.active for p in packages)
    landlords = list(await db.scalars(select(Landlord)))
    for landlord in landlords:
        assert landlord.profile_complete
        # The demo profiles pass the same checks as the form (the account is kept apart).
        values = {**profile_values(landlord), "iban": "", "bic": ""}
        assert read_profile(values, landlord)[1] == {}, landlord.name
    change = await db.scalar(select(PayoutAccountChange))
    assert change is not None
    assert change.status is ChangeStatus.PENDING
    assert change.iban == PENDING_CHANGE[1]
    assert change.iban[4:7] == "999"  # a bank code no bank uses
    hugo = next(x for x in landlords if x.email == PENDING_CHANGE[0])
    assert await payout_iban(db, hugo.id) != change.iban
