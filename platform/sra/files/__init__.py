"""Uploaded files: stored under random keys, read only through ``GET /files/{id}``.

    stored = await FileStore.from_settings(settings).save(session, data=..., filename=...,
        content_type=..., owner_kind="unit_photo", owner_id=str(unit.id), uploaded_by=user.id)
    register_access_policy("unit_photo", may_see_unit_photo)  # async (session, user, stored)

Without a policy for its owner kind a file is readable by nobody (404).
"""

from sra.files.access import AccessPolicy, may_read, register_access_policy
from sra.files.models import StoredFile
from sra.files.sniff import sniff_content_type
from sra.files.store import FileStore, clean_filename

__all__ = [
    "AccessPolicy",
    "FileStore",
    "StoredFile",
    "clean_filename",
    "may_read",
    "register_access_policy",
    "sniff_content_type",
]
