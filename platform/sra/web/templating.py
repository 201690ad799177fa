"""Jinja2 with gettext bound to the request's locale, and one folder of templates per context."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine

from sra import i18n
from sra.i18n import LOCALES, language_name
from sra.web.navigation import nav_for

SHELL_TEMPLATES = Path(__file__).parent / "templates"


def money(cents: int | None, currency: str = "EUR") -> str:
    if cents is None:
        return ""
    from decimal import Decimal

    return format_currency(Decimal(cents) / 100, currency, locale=i18n.current_locale())


def make_environment(template_dirs: Sequence[Path]) -> Environment:
    env = Environment(
        loader=FileSystemLoader([SHELL_TEMPLATES, *template_dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.globals.update(
        locales=[(code, language_name(code)) for code in LOCALES],
        current_locale=i18n.current_locale,
        nav_for=nav_for,
    )
    env.filters["money"] = money
    env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt, locale=i18n.current_locale())
    env.filters["datetime"] = lambda d, fmt="medium": format_datetime(
        d, fmt, locale=i18n.current_locale()
    )
    return env


def make_template_engine(template_dirs: Sequence[Path]) -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(make_environment(template_dirs))


def render_string(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)
