"""Settings come from SRA_* variables, once; a bad value is one clear line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from sra.settings import SettingsError, load_settings


def test_defaults_need_no_environment(tmp_path: Path) -> None:
    settings = load_settings({"SRA_VAR_DIR": str(tmp_path)})
    assert settings.database_url == "sqlite+aiosqlite:///var/sra.sqlite3"
    assert settings.currency == "EUR"
    assert settings.geocoder == "gazetteer"
    assert not settings.stripe_enabled


def test_generated_secret_key_is_kept_between_starts(tmp_path: Path) -> None:
    first = load_settings({"SRA_VAR_DIR": str(tmp_path)}).secret_key
    second = load_settings({"SRA_VAR_DIR": str(tmp_path)}).secret_key
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_values_are_typed(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SRA_VAR_DIR": str(tmp_path),
            "SRA_PORT": "8123",
            "SRA_DEMO": "yes",
            "SRA_DEFAULT_LOCALE": "uk",
            "SRA_CURRENCY": "PLN",
            "SRA_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/sra",
        }
    )
    assert settings.port == 8123
    assert settings.demo is True
    assert settings.default_locale == "uk"
    assert settings.currency == "PLN"
    assert not settings.is_sqlite


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"SRA_PORT": "eighty"}, "SRA_PORT"),
        ({"SRA_PORT": "70000"}, "SRA_PORT"),
        ({"SRA_DEMO": "maybe"}, "SRA_DEMO"),
        ({"SRA_DEFAULT_LOCALE": "de"}, "SRA_DEFAULT_LOCALE"),
        ({"SRA_CURRENCY": "USD"}, "SRA_CURRENCY"),
        ({"SRA_DATABASE_URL": "mysql://x"}, "SRA_DATABASE_URL"),
        ({"SRA_BASE_URL": "example.org"}, "SRA_BASE_URL"),
        ({"SRA_SECRET_KEY": "short"}, "SRA_SECRET_KEY"),
        ({"SRA_GEOCODER": "nominatim"}, "SRA_NOMINATIM_URL"),
        ({"SRA_STRIPE_SECRET_KEY": "sk_test_x"}, "SRA_STRIPE_WEBHOOK_SECRET"),
        ({"SRA_SESSION_HOURS": "0"}, "SRA_SESSION_HOURS"),
    ],
)
def test_bad_value_is_one_line_naming_the_variable(
    environ: dict[str, str], variable: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"SRA_VAR_DIR": str(tmp_path), **environ})
    message = str(caught.value)
    assert message.startswith(f"{variable}:")
    assert "\n" not in message
