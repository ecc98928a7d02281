"""Metrics count requests; every log line of a request carries its id; no secrets logged."""

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.observability import JsonFormatter, redact_query


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("aigap.access")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


def _count(metrics: str, route: str, status: str) -> float:
    labels = f'method="GET",route="{route}",status="{status}"'
    pattern = r"aigap_http_requests_total\{" + re.escape(labels) + r"\} ([0-9.e+]+)"
    found = re.search(pattern, metrics)
    return float(found.group(1)) if found else 0.0


def test_metrics_count_requests_by_route_and_status(client: TestClient) -> None:
    before = client.get("/metrics").text
    client.get("/v1/sources")
    client.get("/v1/sources/nope")
    after = client.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    assert _count(text, "/v1/sources", "200") == _count(before, "/v1/sources", "200") + 1
    assert (
        _count(text, "/v1/sources/{key}", "404") == _count(before, "/v1/sources/{key}", "404") + 1
    )
    assert "aigap_http_request_duration_seconds_bucket" in text
    assert re.search(r"^aigap_data_version \d+", text, re.MULTILINE)
    assert 'aigap_db_pool_connections{state="checked_out"}' in text


def test_request_id_is_honoured_returned_and_logged(
    client: TestClient, access_lines: io.StringIO
) -> None:
    response = client.get("/v1/sources", headers={"X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    entries = [json.loads(line) for line in access_lines.getvalue().splitlines()]
    mine = [e for e in entries if e.get("path") == "/v1/sources"]
    assert mine
    assert mine[-1]["request_id"] == "trace-42"
    assert (mine[-1]["status"], mine[-1]["route"]) == (200, "/v1/sources")


def test_a_missing_or_unsafe_request_id_is_replaced(client: TestClient) -> None:
    generated = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    unsafe = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"


def test_no_secrets_in_logs(client: TestClient, access_lines: io.StringIO) -> None:
    client.get(
        "/v1/sources",
        params={"api_key": "s3cret-value"},
        headers={"Authorization": "Bearer s3cret-value", "X-API-Key": "s3cret-value"},
    )
    logged = access_lines.getvalue()
    assert "s3cret-value" not in logged
    assert "api_key=%5Bredacted%5D" in logged
    assert redact_query("token=a&country=US") == "token=%5Bredacted%5D&country=US"


def test_answers_from_the_read_path_are_counted_under_their_route(client: TestClient) -> None:
    """A 304 and a remembered answer are given before routing; they still name the route."""
    path = "/v1/models/lag"
    before = client.get("/metrics").text
    etag = client.get(path).headers["etag"]
    assert client.get(path).status_code == 200  # remembered
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    text = client.get("/metrics").text
    assert _count(text, path, "200") == _count(before, path, "200") + 2
    assert _count(text, path, "304") == _count(before, path, "304") + 1
    assert _count(text, "unmatched", "304") == _count(before, "unmatched", "304")
