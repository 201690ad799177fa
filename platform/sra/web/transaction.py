"""One transaction per request, committed when the response is a success or a redirect.

advanced-alchemy's own handler logs a failed commit at debug level and still sends the 2xx or
303 the handler produced, so a person would be told "saved" about something that was not. This
handler turns a failed commit into a 500 with a short "nothing was saved" answer instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any, cast

from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from litestar.types import Message, Scope

from sra.i18n import gettext as _

log = logging.getLogger("sra.web")

_FAILED = "sra_commit_failed"
_TERMINUS = {"http.response.start", "http.disconnect", "websocket.disconnect", "websocket.close"}


def _failure_body(scope: Scope) -> tuple[bytes, bytes]:
    detail = _("Something went wrong and nothing was saved. Please try again.")
    if str(scope.get("path", "")).startswith("/api/"):
        problem = {"type": "about:blank", "title": _("Something went wrong"), "status": 500}
        problem |= {"detail": detail, "instance": scope.get("path", "")}
        return json.dumps(problem).encode(), b"application/problem+json"
    page = f"<!doctype html><meta charset=utf-8><title>500</title><h1>{detail}</h1>"
    return page.encode(), b"text/html; charset=utf-8"


def transaction_handler(
    session_scope_key: str,
) -> Callable[[Message, Scope], Coroutine[Any, Any, None]]:
    async def handler(message: Message, scope: Scope) -> None:
        state: dict[str, Any] = scope.setdefault("state", {})
        if message["type"] == "http.response.body" and state.get(_FAILED):
            body_message = cast(dict[str, Any], message)
            body_message["body"] = state[_FAILED]
            body_message["more_body"] = False
            return
        session = get_aa_scope_state(scope, session_scope_key)
        if session is None or message["type"] not in _TERMINUS:
            return
        try:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 400:
                try:
                    await session.commit()
                except Exception:
                    log.exception("commit failed on %s", scope.get("path"))
                    await session.rollback()
                    body, content_type = _failure_body(scope)
                    state[_FAILED] = body
                    message["status"] = 500
                    message["headers"] = [
                        (b"content-type", content_type),
                        (b"content-length", str(len(body)).encode()),
                    ]
            else:
                await session.rollback()
        finally:
            await session.close()
            delete_aa_scope_state(scope, session_scope_key)

    return handler
