"""Uploaded files: the row says who owns the file; the bytes live under ``settings.media_dir``."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sra.db.base import Base


class StoredFile(Base):
    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_owner", "owner_kind", "owner_id"),)

    # What the file belongs to ("unit_photo", "household_document", ...) and that record's id;
    # the access policy registered for owner_kind decides who may read it.
    owner_kind: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    # Random, never derived from the uploaded name: "ab/cd/abcd....".
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
