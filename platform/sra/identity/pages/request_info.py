"""What the identity pages read from a request: settings, caller, address, a fresh session."""

from __future__ import annotations

from typing import Any

from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sra.settings import Settings
from sra.web.guards import AnyRequest


def settings_of(request: AnyRequest) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def session_maker_of(request: AnyRequest) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = request.app.state.session_maker
    return maker


def client_ip(request: AnyRequest) -> str | None:
    return request.client.host if request.client else None


def request_locale(request: AnyRequest) -> str:
    locale = request.scope.get("state", {}).get("locale")
    return locale if isinstance(locale, str) else settings_of(request).default_locale


def page(name: str, status: int = 200, **context: Any) -> Template:
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return Template(template_name=f"identity/{name}", context=context, status_code=status)
