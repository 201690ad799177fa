"""The declarative base: UUID primary keys, created/updated timestamps, stable constraint names."""

from __future__ import annotations

from advanced_alchemy.base import UUIDAuditBase, orm_registry
from sqlalchemy import MetaData

metadata: MetaData = orm_registry.metadata
metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(UUIDAuditBase):
    """Every table of the platform: ``id`` (UUID), ``created_at``, ``updated_at``."""

    __abstract__ = True
