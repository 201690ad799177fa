"""Every model module of every context, so Alembic and the tests see the whole schema."""

from __future__ import annotations

from sqlalchemy import MetaData


def load_all_models() -> MetaData:
    import contracts.leases
    import contracts.packages
    import contracts.payout_accounts
    import contracts.subleases  # noqa: F401
    import matching.offer_policy
    import matching.offer_privacy  # the offers' export and erasure
    import matching.offer_queries  # the offered household's access to unit photos
    import matching.offers
    import matching.reviews
    import matching.round_privacy  # the rounds' export and erasure
    import matching.rounds  # noqa: F401
    import sra.audit
    import sra.files.models
    import sra.geo.cache
    import sra.health_index
    import sra.households.document_store  # the documents' access policy and eraser
    import sra.households.documents
    import sra.households.messages
    import sra.households.points_store
    import sra.households.status
    import sra.households.verification
    import sra.identity.models
    import sra.jobs.models
    import sra.notifications
    import sra.register.inspection
    import sra.register.models
    import sra.register.photos
    import sra.register.rent_caps
    import sra.register.unit_status  # noqa: F401
    from sra.db.base import metadata

    return metadata
