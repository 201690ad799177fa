"""Typed settings, read once from ``SRA_*`` environment variables.

Every other module receives a :class:`Settings`; nothing else reads the environment.
A bad value stops start-up with one line naming the variable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

LOCALES = ("en", "fr", "nl", "pl", "cs", "uk")
CURRENCIES = ("EUR", "PLN", "CZK")


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message is one line."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "sqlite+aiosqlite:///var/sra.sqlite3"
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    default_locale: Literal["en", "fr", "nl", "pl", "cs", "uk"] = "en"
    currency: Literal["EUR", "PLN", "CZK"] = "EUR"
    var_dir: str = "var"
    demo: bool = False
    run_worker: bool = True
    secure_cookies: bool = False
    session_hours: int = 12
    login_max_failures: int = 5
    login_window_minutes: int = 15
    mail_from: str = "agency@example.org"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    stripe_secret_key: str = ""
    stripe_publishable_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""
    geocoder: Literal["gazetteer", "nominatim"] = "gazetteer"
    nominatim_url: str = ""

    @property
    def var_path(self) -> Path:
        return Path(self.var_dir)

    @property
    def media_dir(self) -> Path:
        return self.var_path / "media"

    @property
    def outbox_dir(self) -> Path:
        return self.var_path / "outbox"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def stripe_enabled(self) -> bool:
        return bool(self.stripe_secret_key)


_FIELDS = {name: f"SRA_{name.upper()}" for name in Settings.__struct_fields__}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: str) -> object:
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise SettingsError(f"{_FIELDS[name]}: expected true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{_FIELDS[name]}: expected a whole number, got {raw!r}") from None
    return raw


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values = {name: _coerce(name, env[var]) for name, var in _FIELDS.items() if var in env}
    try:
        settings = msgspec.convert(values, Settings)
    except msgspec.ValidationError as exc:
        field = str(exc).rsplit("$.", 1)[-1].rstrip("`")
        raise SettingsError(f"{_FIELDS.get(field, 'SRA_*')}: {str(exc).split(' - ')[0]}") from None
    _validate(settings)
    if not settings.secret_key:
        settings = msgspec.structs.replace(settings, secret_key=_local_secret(settings.var_path))
    return settings


def _validate(settings: Settings) -> None:
    if not settings.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise SettingsError(
            "SRA_DATABASE_URL: expected sqlite+aiosqlite:///FILE or postgresql+asyncpg://..."
        )
    if not settings.base_url.startswith(("http://", "https://")):
        raise SettingsError("SRA_BASE_URL: expected an http:// or https:// address")
    if not 0 < settings.port < 65536:
        raise SettingsError("SRA_PORT: expected a port number between 1 and 65535")
    if settings.secret_key and len(settings.secret_key) < 32:
        raise SettingsError("SRA_SECRET_KEY: must be at least 32 characters")
    if settings.geocoder == "nominatim" and not settings.nominatim_url:
        raise SettingsError("SRA_NOMINATIM_URL: required when SRA_GEOCODER=nominatim")
    if settings.stripe_secret_key and not settings.stripe_webhook_secret:
        raise SettingsError("SRA_STRIPE_WEBHOOK_SECRET: required when SRA_STRIPE_SECRET_KEY is set")
    for name in ("session_hours", "login_max_failures", "login_window_minutes"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{_FIELDS[name]}: must be at least 1")


def _local_secret(var_dir: Path) -> str:
    """A development secret kept in ``var/secret.key`` so sessions survive a restart."""
    path = var_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
