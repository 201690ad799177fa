"""Files on disk under a random key; the database row is added to the caller's transaction.

The bytes are written before the row commits: a rolled-back transaction leaves an orphan file
(harmless, unreachable) but never a row without its file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO
from uuid import UUID

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from sra.files.models import StoredFile
from sra.settings import Settings

MAX_NAME = 255


def clean_filename(filename: str) -> str:
    """The uploaded name without folders or control characters; kept for display only."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable())
    name = name.strip(" .")
    return (name or "file")[-MAX_NAME:]


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> FileStore:
        return cls(settings.media_dir)

    def path(self, stored: StoredFile) -> Path:
        key = PurePosixPath(stored.storage_key)
        if key.is_absolute() or ".." in key.parts:
            raise ValueError("storage key escapes the media folder")
        return self.root.joinpath(*key.parts)

    async def save(
        self,
        session: AsyncSession,
        *,
        data: bytes,
        filename: str,
        content_type: str,
        owner_kind: str,
        owner_id: str,
        uploaded_by: UUID | None,
    ) -> StoredFile:
        token = secrets.token_hex(16)
        stored = StoredFile(
            owner_kind=owner_kind,
            owner_id=str(owner_id),
            filename=clean_filename(filename),
            content_type=content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_key=f"{token[:2]}/{token[2:4]}/{token}",
            uploaded_by=uploaded_by,
        )
        await anyio.to_thread.run_sync(_write_atomically, self.path(stored), data)
        session.add(stored)
        await session.flush()
        return stored

    async def read(self, stored: StoredFile) -> bytes:
        return await anyio.to_thread.run_sync(self.path(stored).read_bytes)

    def open(self, stored: StoredFile) -> BinaryIO:
        """A binary handle on the file (the caller closes it); FileNotFoundError when missing."""
        return self.path(stored).open("rb")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, fsync, then rename over the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(0o600)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
