"""The application factory can build many apps in one process (the test suite builds hundreds)."""

from __future__ import annotations

import re

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin

from sra.settings import Settings
from sra_app.app import create_app


def _session_keys(settings: Settings) -> list[str]:
    plugin = create_app(settings).plugins.get(SQLAlchemyPlugin)
    return [config.session_scope_key for config in plugin.config]


def test_each_app_gets_its_own_database_keys_without_probing_earlier_ones(
    settings: Settings,
) -> None:
    # advanced-alchemy finds a free key by recursing once per earlier app that took the same
    # one: with keys of our own no app ever probes, so the depth cannot grow with their number.
    first, second = _session_keys(settings), _session_keys(settings)
    assert first != second
    for key in (*first, *second):
        assert re.fullmatch(r"_sra_db_session_[0-9a-f]{32}", key), key
