"""ETag on every GET, 304 on a match, a new ETag after any write."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Source
from api.services.revisions import write_revision
from tests.api.routes import LIST_PATHS


@pytest.mark.parametrize("path", [*LIST_PATHS, "/v1/models/lag", "/v1/models/lag/current"])
def test_get_has_etag_and_304_on_match(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_etag_depends_on_query_and_representation(client: TestClient) -> None:
    plain = client.get("/v1/sources").headers["etag"]
    assert client.get("/v1/sources", params={"limit": 3}).headers["etag"] != plain
    assert client.get("/v1/sources", headers={"Accept": "text/csv"}).headers["etag"] != plain
    csv = client.get("/v1/sources", headers={"Accept": "text/csv"})
    assert csv.headers["etag"]
    assert csv.headers["cache-control"]


def test_a_write_changes_every_etag(client: TestClient, session: Session) -> None:
    before = {path: client.get(path).headers["etag"] for path in ("/v1/sources", "/v1/models/lag")}
    write_revision(
        session,
        Source,
        "a-new-source",
        {"title": "T", "publisher": "P", "published_on": None, "url": None, "description": None},
    )
    for path, etag in before.items():
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 200, path
        assert response.headers["etag"] != etag


def test_errors_carry_no_etag(client: TestClient) -> None:
    assert "etag" not in client.get("/v1/sources/nope").headers
