"""The composition root: builds the Litestar application from the settings and every context."""

from __future__ import annotations

from uuid import uuid4

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from sra.db import make_engine, make_sessionmaker
from sra.settings import Settings, load_settings
from sra.web.context import RequestContextMiddleware
from sra.web.errors import EXCEPTION_HANDLERS
from sra.web.shell import ShellController, health
from sra.web.templating import SHELL_TEMPLATES, make_environment
from sra.web.transaction import transaction_handler
from sra_app import wiring
from sra_app.jobs_cli import worker_lifespan

STATIC_DIR = SHELL_TEMPLATES.parent / "static"


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    # Keys of our own, unique per app: advanced-alchemy otherwise probes key_1, key_2, ... by
    # recursion over every config ever made in the process, which overflows the stack after
    # about a thousand apps (the test suite makes more).
    suffix = uuid4().hex
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        session_dependency_key="db_session",
        session_scope_key=f"_sra_db_session_{suffix}",
        engine_app_state_key=f"sra_db_engine_{suffix}",
        session_maker_app_state_key=f"sra_session_maker_{suffix}",
    )
    # Commit on 2xx and 3xx (form posts redirect), roll back otherwise; a failed commit is a 500.
    # Built after the config, which picks a session key unique to this app.
    db_config.before_send_handler = transaction_handler(db_config.session_scope_key)
    template_env = make_environment(wiring.template_dirs())
    wiring.register_navigation()
    api = Router("/api/v1", route_handlers=wiring.api_handlers())
    state = State(
        {
            "settings": settings,
            "session_maker": make_sessionmaker(engine),
            "template_env": template_env,
        }
    )
    return Litestar(
        route_handlers=[
            ShellController,
            health,
            api,
            *wiring.page_handlers(),
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], include_in_schema=False
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        middleware=[RequestContextMiddleware()],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="sra_csrf",
            cookie_httponly=True,
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
            exclude=wiring.csrf_exempt_paths(),
        ),
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(template_env)),
        openapi_config=OpenAPIConfig(
            title="Social rental agency platform",
            version="1",
            path="/schema",
            render_plugins=[],
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=wiring.startup_hooks(),
        lifespan=[worker_lifespan],
        on_shutdown=[engine.dispose],
        state=state,
        debug=False,
    )
