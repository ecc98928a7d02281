"""Answers remembered per ETag: served again without a query, never across a write."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from api.main import create_app
from api.services.records import data_version
from api.settings import Settings
from api.web.response_cache import CachedAnswer, ResponseCache
from tests.asgi_client import InProcessClient
from tests.conftest import use_test_session
from tests.writes.helpers import bearer, observation

LIST = "/v1/observations?country=CN&limit=5"


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    """Every SQL statement the test's connection runs."""
    seen: list[str] = []
    connection = session.connection()

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    yield seen
    event.remove(connection, "before_cursor_execute", record)


def _without_version_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "max(changes.id)" not in s and "SAVEPOINT" not in s]


@pytest.mark.parametrize(
    "path", [LIST, "/v1/models/lag/current", "/v1/scorecard", "/v1/funding/totals"]
)
def test_a_repeated_get_is_answered_without_touching_the_data(
    client: TestClient, statements: list[str], path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert _without_version_reads(statements), "the first answer must be computed"
    statements.clear()
    again = client.get(path)
    assert again.status_code == 200
    assert _without_version_reads(statements) == []
    assert again.content == first.content
    for header in ("etag", "content-type", "cache-control", "vary"):
        assert again.headers[header] == first.headers[header]
    assert again.headers["x-request-id"] != first.headers["x-request-id"]


def test_list_headers_come_back_with_the_cached_answer(client: TestClient) -> None:
    first = client.get(LIST)
    again = client.get(LIST)
    assert again.headers["x-total-count"] == first.headers["x-total-count"]
    assert again.headers["link"] == first.headers["link"]
    other_host = client.get(LIST, headers={"Host": "api.example.org"})
    assert other_host.headers["link"] == first.headers["link"]  # relative: no host echoed


def test_a_write_is_seen_at_once(client: TestClient, session: Session) -> None:
    path = "/v1/observations/ai-accelerators-cn-2026"
    listing = "/v1/observations?indicator=ai-accelerators"
    before = client.get(listing).json()
    client.get(listing)  # now remembered
    created = client.post("/v1/observations", json=observation(), headers=bearer(session))
    assert created.status_code == 201
    after = client.get(listing).json()
    assert after["total"] == before["total"] + 1
    assert client.get(path).json()["value"] == 6_000_000


def test_errors_are_not_remembered(client: TestClient, statements: list[str]) -> None:
    for _ in range(2):
        statements.clear()
        assert client.get("/v1/observations?country=CN&sort=nope").status_code == 400
    assert client.get("/v1/observations/no-such-key").status_code == 404
    statements.clear()
    assert client.get("/v1/observations/no-such-key").status_code == 404
    assert _without_version_reads(statements), "a 404 is looked up again"


def test_csv_and_json_are_remembered_apart(client: TestClient) -> None:
    as_json = client.get(LIST)
    as_csv = client.get(LIST, headers={"Accept": "text/csv"})
    assert client.get(LIST).content == as_json.content
    assert client.get(LIST, headers={"Accept": "text/csv"}).content == as_csv.content
    assert as_csv.headers["content-type"].startswith("text/csv")


def test_a_zero_budget_turns_it_off(
    database_url: str, session: Session, statements: list[str]
) -> None:
    app = create_app(Settings(database_url=database_url, response_cache_bytes=0))
    use_test_session(app, session)
    with InProcessClient(app) as client:
        client.get(LIST)
        statements.clear()
        assert client.get(LIST).status_code == 200
    assert _without_version_reads(statements), "without a cache every answer is computed"


def test_the_cache_stays_within_its_bytes() -> None:
    def key(name: str) -> tuple[str, str, str]:
        return f'"v1-{name}"', "http://h/", ""

    answer = CachedAnswer([(b"etag", b'"v1-x"')], b"x" * 100)
    entry = answer.size + sum(len(part) for part in key("0"))
    assert entry > 100 + 10  # headers and bookkeeping count, not only the body
    cache = ResponseCache(max_bytes=8 * entry + 8)
    for i in range(10):
        cache.put(key(str(i)), answer)
    assert len(cache) == 8
    assert cache.get(key("0")) is None  # least recently used went first
    assert cache.get(key("9")) is not None
    cache.put(key("b"), CachedAnswer([], b"x" * cache.max_entry_bytes))  # over 1/8 of it
    assert cache.get(key("b")) is None


def test_the_version_read_sees_the_test_transaction(client: TestClient, session: Session) -> None:
    etag = client.get(LIST).headers["etag"]
    assert etag.startswith(f'"v{data_version(session)}-')
