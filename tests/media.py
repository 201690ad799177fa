"""What the file store left in the test's media folder."""

from __future__ import annotations

from pathlib import Path


def media_files(var_dir: Path) -> list[Path]:
    media = var_dir / "media"
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
