"""Errors a person can act on: translated pages for browsers, RFC 9457 problem details for the API.

No stack trace ever reaches a user; unexpected errors are logged with the trace server-side.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from sra.i18n import gettext as _
from sra.web.context import apply_locale
from sra.web.guards import SecondFactorRequired

log = logging.getLogger("sra.web")

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"


class ProblemDetails:
    """An RFC 9457 body: type, title, status, detail, instance; ``errors`` for invalid fields."""

    @staticmethod
    def response(
        status: int, title: str, detail: str, instance: str, errors: list[Any] | None = None
    ) -> Response[dict[str, Any]]:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": instance,
        }
        if errors:
            body["errors"] = errors
        return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("Not allowed"), _("Your account does not give access to this page.")),
        404: (
            _("Page not found"),
            _("We could not find this page. It may have moved, or it is not yours to see."),
        ),
        405: (_("Not allowed"), _("This action is not possible here.")),
        413: (
            _("Too large to send"),
            _(
                "What you sent is too large for this form. Please go back and send smaller "
                "files, or fewer at a time. Nothing was saved."
            ),
        ),
        409: (
            _("Conflict"),
            _("Someone else changed this record in the meantime. Please try again."),
        ),
        429: (
            _("Too many attempts"),
            _("Too many attempts. Please wait a few minutes and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("An unexpected error happened. It has been logged; please try again later."),
        ),
    }


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path.startswith("/schema")


def handle_http_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if "locale" not in request.scope.get("state", {}):
        # Routing errors (404, 405) are raised before the request middleware ran.
        apply_locale(request.scope, request.app.state.settings)
    if status >= 500:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    titles = _titles()
    title, message = titles.get(status, titles[500] if status >= 500 else titles[400])
    if _is_api(request):
        detail = message
        errors = None
        if isinstance(exc, ValidationException):
            detail = _("The request body or parameters are not valid.")
            errors = exc.extra if isinstance(exc.extra, list) else None
        elif isinstance(exc, HTTPException) and status < 500 and exc.detail and exc.detail != title:
            detail = (
                exc.detail
                if not isinstance(exc, NotFoundException | PermissionDeniedException)
                else message
            )
        return ProblemDetails.response(status, title, detail, request.url.path, errors)
    if isinstance(exc, SecondFactorRequired):
        return Redirect("/login/second-factor")
    if isinstance(exc, NotAuthorizedException):
        return Redirect(f"/login?next={quote(request.url.path)}")
    return Template(
        template_name="error.html",
        context={"title": title, "message": message},
        status_code=status,
    )


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    HTTPException: handle_http_exception,
    Exception: handle_http_exception,
}
