"""Every model module of every context, so Alembic and the tests see the whole schema."""

from __future__ import annotations

from sqlalchemy import MetaData


def load_all_models() -> MetaData:
    import sra.audit
    import sra.files.models
    import sra.identity.models
    import sra.jobs.models
    import sra.register.models  # noqa: F401
    from sra.db.base import metadata

    return metadata
