"""One transaction per request: a commit that fails is a 500 saying nothing was saved."""

from __future__ import annotations

from litestar import Litestar, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sra.identity.models import User
from sra.identity.roles import Role
from sra.web.guards import public


def _user(email: str) -> User:
    return User(email=email, display_name="Test", role=Role.MANAGER)


async def test_failed_commit_is_reported_and_nothing_is_saved(
    app: Litestar, db: AsyncSession
) -> None:
    db.add(_user("taken@example.org"))
    await db.commit()

    @post("/test/duplicate", guards=[public], exclude_from_csrf=True)
    async def duplicate(db_session: NamedDependency[AsyncSession]) -> Redirect:
        # No flush: the unique e-mail clashes only when the request's transaction commits.
        db_session.add(_user("new@example.org"))
        db_session.add(_user("taken@example.org"))
        return Redirect("/done", status_code=303)

    app.register(duplicate)
    async with AsyncTestClient(app) as client:
        response = await client.post("/test/duplicate", follow_redirects=False)

    assert response.status_code == 500
    assert "location" not in response.headers
    assert "nothing was saved" in response.text
    count = await db.scalar(select(func.count()).select_from(User))
    assert count == 1


async def test_successful_request_commits_and_error_status_rolls_back(
    app: Litestar, db: AsyncSession
) -> None:
    @get("/test/keep", guards=[public])
    async def keep(db_session: NamedDependency[AsyncSession]) -> str:
        db_session.add(_user("kept@example.org"))
        return "ok"

    @get("/test/drop", guards=[public], status_code=400)
    async def drop(db_session: NamedDependency[AsyncSession]) -> str:
        db_session.add(_user("dropped@example.org"))
        return "bad input"

    app.register(keep)
    app.register(drop)
    async with AsyncTestClient(app) as client:
        assert (await client.get("/test/keep")).status_code == 200
        assert (await client.get("/test/drop")).status_code == 400

    emails = set(await db.scalars(select(User.email)))
    assert emails == {"kept@example.org"}
