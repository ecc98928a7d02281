"""Detail, revisions and as_of on every record kind."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import FundingRecord
from api.services.funding import FUNDING_RECORDS
from api.services.records import get_record
from api.services.revisions import content_of, get_current, retire, write_revision
from tests.api.routes import LIST_PATHS

DETAIL_PATHS = [
    p
    for p in LIST_PATHS
    if p.count("/") >= 3
    or p in ("/v1/sources", "/v1/indicators", "/v1/observations", "/v1/assessments")
]


@pytest.mark.parametrize("path", DETAIL_PATHS)
def test_every_record_has_detail_and_revisions(client: TestClient, path: str) -> None:
    items = client.get(path, params={"limit": 1}).json()["items"]
    if not items:
        pytest.skip(f"{path} has no seed records")
    key = items[0]["key"]
    detail = client.get(f"{path}/{key}")
    assert detail.status_code == 200, detail.text
    assert detail.json() == items[0]
    revisions = client.get(f"{path}/{key}/revisions")
    assert revisions.status_code == 200
    assert [r["revision"] for r in revisions.json()] == [1]
    missing = client.get(f"{path}/no-such-key")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_as_of_returns_the_version_current_then(client: TestClient, session: Session) -> None:
    key = "us-federal-ai-it-rd-2024"
    before = client.get(f"/v1/funding/records/{key}").json()
    old = get_current(session, FundingRecord, key)
    assert old is not None
    revised = write_revision(
        session, FundingRecord, key, {**content_of(old), "amount": 10.5e9, "amount_usd": 10.5e9}
    )
    assert revised.revision == 2

    now = client.get(f"/v1/funding/records/{key}").json()
    assert (now["amount"], now["revision"]) == (10.5e9, 2)
    just_before = (old.valid_from + timedelta(seconds=1)).isoformat()
    then = client.get(f"/v1/funding/records/{key}", params={"as_of": just_before}).json()
    assert then == before
    listed_then = client.get(
        "/v1/funding/records", params={"as_of": just_before, "limit": 1000}
    ).json()
    assert next(i for i in listed_then["items"] if i["key"] == key)["amount"] == 10.4e9
    history = client.get(f"/v1/funding/records/{key}/revisions").json()
    assert [(r["revision"], r["amount"]) for r in history] == [(1, 10.4e9), (2, 10.5e9)]
    assert history[0]["valid_to"] == history[1]["valid_from"]


def test_a_retired_record_leaves_lists_but_keeps_its_history(
    client: TestClient, session: Session
) -> None:
    key = "us-ny-empire-ai"
    total = client.get("/v1/funding/records").json()["total"]
    retire(session, FundingRecord, key, changed_by="test")
    assert client.get("/v1/funding/records").json()["total"] == total - 1
    gone = client.get(f"/v1/funding/records/{key}")
    assert gone.status_code == 404
    assert "retired" in gone.json()["detail"]
    history = client.get(f"/v1/funding/records/{key}/revisions").json()
    assert [(r["revision"], r["retired"], r["changed_by"]) for r in history] == [
        (1, False, "seed"),
        (2, True, "test"),
    ]
    with pytest.raises(Exception, match="retired"):
        get_record(session, FUNDING_RECORDS, key)


def test_as_of_before_any_data_is_empty_everywhere(client: TestClient) -> None:
    for path in LIST_PATHS:
        body = client.get(path, params={"as_of": "1999-01-01T00:00:00Z"}).json()
        assert body["total"] == 0, path
