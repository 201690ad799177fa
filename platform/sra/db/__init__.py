"""Database: the declarative base every model uses, engines and sessions."""

from sra.db.base import Base, metadata
from sra.db.engine import make_engine, make_sessionmaker

__all__ = ["Base", "make_engine", "make_sessionmaker", "metadata"]
