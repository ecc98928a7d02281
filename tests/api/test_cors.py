"""CORS: allowed origins come from settings; none by default."""

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.asgi_client import InProcessClient

PREFLIGHT = {"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"}


def test_no_cors_by_default(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": "https://dash.example"})
    assert "access-control-allow-origin" not in response.headers


def test_configured_origins_are_allowed_and_others_not(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, cors_origins=["https://dash.example"]))
    with InProcessClient(app) as client:
        allowed = client.options("/v1/sources", headers=PREFLIGHT)
        assert allowed.headers["access-control-allow-origin"] == "https://dash.example"
        simple = client.get("/healthz", headers={"Origin": "https://dash.example"})
        assert simple.headers["access-control-allow-origin"] == "https://dash.example"
        assert "ETag" in simple.headers["access-control-expose-headers"]
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
