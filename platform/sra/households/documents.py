"""Documents a household uploads (identity, proof of income, evidence of its situation).

The bytes live in the kernel's file store (owner kind ``household_document``); this row says
what the document is. Who may read one is decided by the access policy registered below.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from sra import audit
from sra.db.base import Base

OWNER_KIND = "household_document"


class DocumentKind(StrEnum):
    IDENTITY = "identity"
    INCOME = "income"
    SITUATION = "situation"  # eviction notice, refugee status, medical certificate, ...
    OTHER = "other"


class HouseholdDocument(Base):
    __tablename__ = "household_document"

    household_id: Mapped[UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(
        Enum(
            DocumentKind,
            name="document_kind",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    file_id: Mapped[UUID] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), unique=True
    )


audit.register_entity("household_document", fields={"household_id", "kind", "file_id"})
