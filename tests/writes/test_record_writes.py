"""Create, revise, retire: new revisions, If-Match, history kept, author recorded."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models.auth import Scope
from tests.asgi_client import InProcessClient
from tests.conftest import use_test_session
from tests.writes.helpers import ONE_WINDOW, bearer, observation

URL = "/v1/observations"


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    return bearer(session, "curator-alice", Scope.write)


def test_create_then_revise_with_if_match_keeps_the_old_revision(
    client: TestClient, auth: dict[str, str]
) -> None:
    created = client.post(URL, json=observation(), headers=auth)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{URL}/ai-accelerators-cn-2026"
    body = created.json()
    assert (body["revision"], body["changed_by"], body["period_end"]) == (
        1,
        "curator-alice",
        "2026-12-31",
    )
    etag = client.get(f"{URL}/ai-accelerators-cn-2026").headers["etag"]
    assert etag == created.headers["etag"]

    revised = client.put(
        f"{URL}/ai-accelerators-cn-2026",
        json=observation(value=6_500_000),
        headers={**auth, "If-Match": etag},
    )
    assert revised.status_code == 200, revised.text
    assert (revised.json()["revision"], revised.json()["value"]) == (2, 6_500_000)
    assert revised.headers["etag"] != etag

    history = client.get(f"{URL}/ai-accelerators-cn-2026/revisions").json()
    assert [(r["revision"], r["value"]) for r in history] == [(1, 6_000_000), (2, 6_500_000)]
    then = client.get(
        f"{URL}/ai-accelerators-cn-2026",
        params={"as_of": history[1]["valid_from"].replace("Z", "+00:00")},
    )
    assert then.json()["revision"] == 2
    assert client.get(f"{URL}/ai-accelerators-cn-2026/revisions").json()[0]["value"] == 6_000_000


def test_if_match_missing_is_428_and_stale_is_412(client: TestClient, auth: dict[str, str]) -> None:
    key = "ai-accelerators-us-2025"
    etag = client.get(f"{URL}/{key}").headers["etag"]
    body = observation(key=key, country="US", period="2025", value=14_500_000)
    missing = client.put(f"{URL}/{key}", json=body, headers=auth)
    assert missing.status_code == 428
    assert (
        client.put(f"{URL}/{key}", json=body, headers={**auth, "If-Match": etag}).status_code == 200
    )
    stale = client.put(
        f"{URL}/{key}", json={**body, "value": 1}, headers={**auth, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["current_revision"] == 2
    assert client.get(f"{URL}/{key}").json()["value"] == 14_500_000


def test_retire_is_soft_and_shows_in_history(client: TestClient, auth: dict[str, str]) -> None:
    key = "ai-accelerators-cn-2025"
    etag = client.get(f"{URL}/{key}").headers["etag"]
    assert client.delete(f"{URL}/{key}", headers=auth).status_code == 428
    retired = client.delete(f"{URL}/{key}", headers={**auth, "If-Match": etag})
    assert retired.status_code == 200
    assert retired.json()["retired"] is True
    assert client.get(f"{URL}/{key}").status_code == 404
    history = client.get(f"{URL}/{key}/revisions").json()
    assert [(r["revision"], r["retired"], r["changed_by"]) for r in history] == [
        (1, False, "seed"),
        (2, True, "curator-alice"),
    ]


def test_duplicates_bad_bodies_and_dangling_references(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert (
        client.post(
            URL,
            json=observation(key="ai-accelerators-us-2025", country="US", period="2025"),
            headers=auth,
        ).status_code
        == 409
    )
    bad = client.post(URL, json=observation(period="2025-13", value="lots"), headers=auth)
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"body.period", "body.value"} <= fields
    dangling = client.post(URL, json=observation(indicator_key="no-such-indicator"), headers=auth)
    assert dangling.status_code == 422
    assert dangling.json()["errors"] == [
        {"field": "body.indicator_key", "reason": "no indicator with key 'no-such-indicator'"}
    ]
    backwards = client.post(URL, json=observation(period="2024/2023"), headers=auth)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "body.period"  # derived from: named


def test_a_pillar_list_only_takes_its_own_pillar(client: TestClient, auth: dict[str, str]) -> None:
    wrong = client.post("/v1/talent/observations", json=observation(), headers=auth)
    assert wrong.status_code == 422
    assert "pillar" in wrong.json()["detail"]
    right = client.post("/v1/compute/observations", json=observation(), headers=auth)
    assert right.status_code == 201


def test_every_kind_accepts_writes(client: TestClient, auth: dict[str, str]) -> None:
    body = {
        "key": "us-chips-act",
        "jurisdiction": "US",
        "instrument": "CHIPS and Science Act",
        "kind": "law",
        "status": "in_force",
        "source_location": "section DUV Production",
    }
    assert client.post("/v1/regulation/events", json=body, headers=auth).status_code == 201
    source = {"key": "a-new-drop", "title": "Next month", "publisher": "aigap"}
    assert client.post("/v1/sources", json=source, headers=auth).status_code == 201


def test_writes_show_up_in_the_change_feed_once(client: TestClient, auth: dict[str, str]) -> None:
    start = client.get("/v1/changes", params={"since": 0, "limit": 1000})
    cursor = start.json()["next_cursor"]
    while start.json()["has_more"]:
        start = client.get("/v1/changes", params={"since": cursor, "limit": 1000})
        cursor = start.json()["next_cursor"]
    for period in ("2026", "2027", "2028"):
        client.post(URL, json=observation(key=f"acc-cn-{period}", period=period), headers=auth)
    seen: list[tuple[str, int]] = []
    while True:
        page = client.get("/v1/changes", params={"since": cursor, "limit": 2}).json()
        seen.extend((c["key"], c["revision"]) for c in page["items"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == [("acc-cn-2026", 1), ("acc-cn-2027", 1), ("acc-cn-2028", 1)]
    feed = client.get(
        "/v1/changes", params={"since": 0, "kind": "observations", "limit": 1000}
    ).json()
    assert all(c["kind"] == "observations" for c in feed["items"])


def test_rate_limit_is_429_with_retry_after(database_url: str, session: Session) -> None:
    from api.main import create_app
    from api.settings import Settings

    app = create_app(
        Settings(database_url=database_url, write_rate_limit=2, rate_window_seconds=ONE_WINDOW)
    )
    use_test_session(app, session)
    headers = bearer(session, "hasty")
    with InProcessClient(app) as limited:
        codes = [
            limited.post(URL, json=observation(key=f"rl-{i}"), headers=headers).status_code
            for i in range(3)
        ]
        assert codes[:2] == [201, 201]
        assert codes[2] == 429
        last = limited.post(URL, json=observation(key="rl-x"), headers=headers)
        assert 1 <= int(last.headers["retry-after"]) <= ONE_WINDOW


def test_change_feed_as_csv(client: TestClient) -> None:
    import io

    import pandas as pd

    response = client.get("/v1/changes", params={"limit": 5, "format": "csv"})
    frame = pd.read_csv(io.StringIO(response.text))
    assert list(frame.columns) == [
        "id",
        "kind",
        "key",
        "revision",
        "operation",
        "changed_at",
        "changed_by",
    ]
    assert len(frame) == 5
    assert response.headers["x-next-cursor"] == str(frame["id"].iloc[-1])


def test_a_nul_character_in_a_body_is_a_422(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(URL, json=observation(note="bad\x00note"), headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.note"


def test_change_cursor_bounds(client: TestClient) -> None:
    assert client.get("/v1/changes", params={"since": 2**31 - 1}).json()["items"] == []
    assert client.get("/v1/changes", params={"since": 2**31}).status_code == 400


def test_an_unknown_kind_in_the_change_feed_is_named_not_an_empty_feed(
    client: TestClient,
) -> None:
    """A poller with a misspelt kind would otherwise wait for writes that never come."""
    for asked in ("observation", "observations,arena_score"):
        for extra in ({}, {"format": "csv"}):
            response = client.get("/v1/changes", params={"kind": asked, **extra})
            assert response.status_code == 400, response.text
            [error] = response.json()["errors"]
            assert error["field"] == "query.kind"
            assert repr(asked.split(",")[-1]) in error["reason"]
            assert "arena_scores" in error["reason"]  # the kinds are listed
    both = client.get("/v1/changes", params={"kind": "observations,arena_scores"})
    assert both.status_code == 200
