"""The web shell: landing, errors without traces in the user's language, API problems, CSRF."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from sra.i18n import gettext, use_locale
from sra.web.guards import public
from sra.web.shell import safe_next


async def test_landing_page_explains_the_agency_in_the_visitors_language(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/", headers={"accept-language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    with use_locale("nl"):
        assert gettext("For landlords") in response.text


async def test_unknown_page_is_a_translated_404_page_without_trace(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/no/such/page", headers={"accept-language": "pl"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="pl">' in response.text
    with use_locale("pl"):
        assert gettext("Page not found") in response.text
    assert "Traceback" not in response.text


async def test_api_errors_are_problem_details(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/no-such-thing"
    assert {"type", "title", "detail"} <= body.keys()


async def test_unexpected_error_shows_no_trace(app: Litestar) -> None:
    @get("/boom", guards=[public])
    async def boom() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    app.register(boom)
    async with AsyncTestClient(app) as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text


async def test_openapi_document_is_served(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "/health" in response.json()["paths"]


async def test_htmx_is_served_locally(client: AsyncTestClient[Litestar]) -> None:
    page = await client.get("/")
    assert '<script src="/static/htmx.min.js"' in page.text
    assert "cdn" not in page.text.lower()
    script = await client.get("/static/htmx.min.js")
    assert script.status_code == 200
    assert "htmx" in script.text[:200]


async def test_choosing_a_language_sets_a_cookie_and_returns_to_the_page(
    client: AsyncTestClient[Litestar],
) -> None:
    await client.get("/")
    token = client.cookies.get("sra_csrf")
    response = await client.post(
        "/locale",
        data={"locale": "uk", "next": "/login", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.cookies.get("sra_locale") == "uk"
    page = await client.get("/")
    assert '<html lang="uk">' in page.text


async def test_form_post_without_csrf_token_is_refused(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/locale", data={"locale": "fr", "next": "/"})
    assert response.status_code == 403
    assert client.cookies.get("sra_locale") is None


def test_redirect_targets_stay_on_this_site() -> None:
    assert safe_next("/tenant") == "/tenant"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("//evil.example/") == "/"
    assert safe_next("/\\evil.example") == "/"
    assert safe_next(None) == "/"
