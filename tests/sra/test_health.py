from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_health_reports_database_reachable(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
