"""The same value rules at every door: finite numbers, times without an offset, ranges in
order, HEAD wherever GET is; and no input in a query string makes a 5xx."""

import json
import math
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlmodel import Session

from api.errors import InvalidData
from api.models.base import COUNTRY_PATTERN
from api.services.indicators import OBSERVATIONS
from api.services.lmarena import parse_json
from api.web.json_body import MAX_DEPTH, refuse_unusable_json
from api.web.problems import ProblemResponse
from tests.api.routes import APP, LIST_PATHS, ROUTES
from tests.writes.helpers import bearer, observation

pytestmark = pytest.mark.long_running(12)

REVISION_FIELDS = {"revision", "valid_from", "valid_to", "retired", "changed_by"}


def _query_aliases(route: APIRoute) -> set[str]:
    found: set[str] = set()

    def walk(dependant: Any) -> None:
        found.update(param.alias for param in dependant.query_params)
        for sub in dependant.dependencies:
            walk(sub)

    walk(route.dependant)
    return found


GETS = [r for r in ROUTES if "GET" in (r.methods or set()) and r.path.startswith("/v1")]
AS_OF_PATHS = sorted(r.path for r in GETS if "{" not in r.path and "as_of" in _query_aliases(r))
RANGE_PATHS = sorted(
    r.path for r in GETS if "{" not in r.path and {"from", "to"} <= _query_aliases(r)
)
PLAIN_GETS = sorted({r.path for r in ROUTES if "GET" in (r.methods or set()) and "{" not in r.path})
WRITABLE_LISTS = sorted(
    r.path for r in ROUTES if "POST" in (r.methods or set()) and r.path in LIST_PATHS
)


def test_the_walks_found_what_they_walk() -> None:
    assert len(AS_OF_PATHS) > 20
    assert "/v1/observations" in RANGE_PATHS
    assert "/v1/models/lag" in RANGE_PATHS
    assert "/v1/observations" in WRITABLE_LISTS


@pytest.mark.parametrize("path", AS_OF_PATHS)
def test_a_time_without_an_offset_is_read_as_utc(client: TestClient, path: str) -> None:
    utc = client.get(path, params={"as_of": "2025-06-01T00:00:00Z"})
    for naive in ("2025-06-01", "2025-06-01T00:00", "2025-06-01 00:00:00"):
        response = client.get(path, params={"as_of": naive})
        assert response.status_code == utc.status_code, (naive, response.text)
        assert response.status_code < 500, response.text
        assert response.content == utc.content


@pytest.mark.parametrize("path", RANGE_PATHS)
def test_a_range_that_ends_before_it_starts_is_a_400_naming_both(
    client: TestClient, path: str
) -> None:
    pairs = [("2025-01", "2024-01"), ("2025-01-01", "2024-12-31"), ("2025", "2024")]
    refused = 0
    for start, end in pairs:
        response = client.get(path, params={"from": start, "to": end})
        assert response.status_code == 400, (path, start, end, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        fields = [e["field"] for e in response.json()["errors"]]
        refused += fields == ["query.from", "query.to"]
    assert refused >= 1  # at least the shape this operation takes names both
    assert client.get(path, params={"from": "2024-01", "to": "2024-01"}).status_code < 500


def _create_schema(path: str) -> dict[str, Any]:
    spec = APP.openapi()
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema: dict[str, Any] = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_number(field: dict[str, Any]) -> bool:
    options = field.get("anyOf", [field])
    return any(option.get("type") == "number" for option in options)


def _writable_example(client: TestClient, path: str) -> dict[str, Any]:
    fields = set(_create_schema(path)["properties"])
    items = client.get(path, params={"limit": 1}).json()["items"]
    item = items[0] if items else {}  # the door refuses the number before anything else
    return {k: v for k, v in item.items() if k in fields and k not in REVISION_FIELDS}


@pytest.mark.parametrize("path", WRITABLE_LISTS)
def test_json_writes_take_finite_numbers_only(
    client: TestClient, session: Session, path: str
) -> None:
    properties = _create_schema(path)["properties"]
    numbers = [name for name, field in properties.items() if _is_number(field)]
    if not numbers:
        return
    example = _writable_example(client, path)
    auth = bearer(session)
    for name in numbers:
        for number in ("NaN", "Infinity", "-Infinity", "1e309", "-1e309"):
            text = json.dumps({**example, "key": "a-new-key-for-this-test", name: "@@"})
            text = text.replace('"@@"', number)
            response = client.post(
                path, content=text, headers={**auth, "Content-Type": "application/json"}
            )
            assert response.status_code == 422, (path, name, number, response.text)
            fields = [e["field"] for e in response.json()["errors"]]
            assert f"body.{name}" in fields, (path, name, number, response.text)


TOLERANCE_PATHS = sorted(
    r.path for r in GETS if "{" not in r.path and "tolerance" in _query_aliases(r)
)


@pytest.mark.parametrize("path", TOLERANCE_PATHS)
def test_a_query_number_that_is_not_finite_is_named_as_such(client: TestClient, path: str) -> None:
    """Not "should be less than or equal to 1000", which NaN is not either."""
    assert len(TOLERANCE_PATHS) >= 4
    for value in ("nan", "NaN", "inf", "-inf", "1e400"):
        response = client.get(path, params={"tolerance": value})
        assert response.status_code == 400, (path, value, response.text)
        reasons = {e["field"]: e["reason"] for e in response.json()["errors"]}
        assert reasons == {"query.tolerance": "Input should be a finite number"}, (path, value)


WRITES = sorted(
    (method, re.sub(r"\{[^}]+\}", "x", route.path))
    for route in ROUTES
    for method in (route.methods or set()) & {"POST", "PUT", "PATCH"}
)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 100_000])
def test_json_nested_too_deep_is_a_422_at_every_write_not_a_500(
    client: TestClient, session: Session, depth: int
) -> None:
    """600 levels parse but overflowed a recursive walk; 100,000 overflow the parser."""
    assert len(WRITES) > 20
    auth = {**bearer(session), "Content-Type": "application/json"}
    body = "[" * depth + "]" * depth
    for method, path in WRITES:
        response = client.request(method, path, content=body, headers=auth)
        assert response.status_code == 422, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        reason = f"nested more than {MAX_DEPTH} levels deep"
        assert response.json()["errors"] == [{"field": "body", "reason": reason}], path


def test_json_as_deep_as_allowed_is_judged_on_its_content(
    client: TestClient, session: Session
) -> None:
    deep = json.dumps(observation(note="x")).replace('"x"', "[" * 62 + "]" * 62)
    response = client.post(
        "/v1/observations",
        content=deep,
        headers={**bearer(session), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.note"]


def test_every_non_finite_number_is_named_in_document_order() -> None:
    body = b'{"a": NaN, "b": [1, {"c": Infinity}], "d": [-1e309, 2.5]}'
    with pytest.raises(InvalidData) as refused:
        refuse_unusable_json(body)
    assert [e["field"] for e in refused.value.extensions["errors"]] == [
        "body.a",
        "body.b.1.c",
        "body.d.0",
    ]


def test_text_that_is_not_unicode_is_named_at_every_write_not_a_500(
    client: TestClient, session: Session
) -> None:
    """JSON lets "\\ud800" through as text that cannot be stored, compared or even written
    back in the error; the door names it, escaped."""
    auth = {**bearer(session), "Content-Type": "application/json"}
    for method, path in WRITES:
        body = '{"key": "x\\ud800y", "nested": {"k\\udc00": 1}}'
        response = client.request(method, path, content=body, headers=auth)
        assert response.status_code == 422, (method, path, response.text)
        fields = [e["field"] for e in response.json()["errors"]]
        assert fields == ["body.key", "body.nested.k\\udc00"], (path, fields)
    lmarena = client.post(
        "/v1/models/arena-scores/import/lmarena",
        params={"month": "2025-04"},
        content=b'{"full": {"gpt\\ud800": {"rating": 1300}}}',
        headers=auth,
    )
    assert lmarena.status_code == 422, lmarena.text
    assert lmarena.json()["errors"][0]["field"] == "body.full.gpt\\ud800"


def test_a_problem_quoting_a_lone_surrogate_is_still_json() -> None:
    response = ProblemResponse({"detail": "no model 'gpt\ud800'"}, status_code=422)
    assert response.media_type == "application/problem+json"
    assert json.loads(bytes(response.body)) == {"detail": "no model 'gpt\ud800'"}
    assert ProblemResponse({"detail": "é"}).body == '{"detail":"é"}'.encode()


def test_a_leaderboard_file_nested_too_deep_is_a_file_error() -> None:
    with pytest.raises(InvalidData) as refused:
        parse_json(b"[" * 100_000 + b"]" * 100_000, "full")
    assert "nested too deep" in refused.value.extensions["errors"][0]["reason"]


def _place_fields(path: str) -> list[str]:
    properties = _create_schema(path)["properties"]
    return [
        name
        for name, field in properties.items()
        if any(o.get("pattern") == COUNTRY_PATTERN for o in field.get("anyOf", [field]))
    ]


@pytest.mark.parametrize("path", WRITABLE_LISTS)
def test_a_place_code_must_name_a_real_place(
    client: TestClient, session: Session, path: str
) -> None:
    """ "ZZ" and "US-XX" have the shape of a code and would each be a country of its own in
    every total and comparison."""
    example = _writable_example(client, path)
    auth = bearer(session)
    for name in _place_fields(path):
        for code in ("ZZ", "US-XX", "XX-NY"):
            body = {**example, "key": "a-place-that-is-not", name: code}
            response = client.post(path, json=body, headers=auth)
            assert response.status_code == 422, (path, name, code, response.text)
            reasons = {e["field"]: e["reason"] for e in response.json()["errors"]}
            assert "not an ISO 3166-1 country code" in reasons[f"body.{name}"], reasons


def test_every_kind_with_a_place_is_checked() -> None:
    checked = {path for path in WRITABLE_LISTS if _place_fields(path)}
    assert {"/v1/observations", "/v1/funding/records", "/v1/regulation/events"} <= checked


def test_an_observation_range_runs_upwards_and_only_between_has_one(
    client: TestClient, session: Session
) -> None:
    auth = bearer(session)
    for changes, reason in (
        ({"qualifier": "between", "value": 10, "value_max": 5}, "value_max is below value"),
        ({"qualifier": "about", "value_max": 7_000_000}, "goes with qualifier between"),
        ({"qualifier": "between"}, "goes with qualifier between"),
    ):
        response = client.post("/v1/observations", json=observation(**changes), headers=auth)
        assert response.status_code == 422, (changes, response.text)
        assert reason in response.json()["detail"], response.text
    ranged = observation(qualifier="between", value=5, value_max=10)
    assert client.post("/v1/observations", json=ranged, headers=auth).status_code == 201


def test_an_observation_import_checks_places_too(client: TestClient, session: Session) -> None:
    body = (
        "indicator_key,country,period,value,source_location\n"
        "ai-accelerators,US-NY,2026,1,table 2\n"
        "ai-accelerators,ZZ,2026,1,table 2\n"
    )
    response = client.post(
        "/v1/observations/import",
        content=body,
        headers={**bearer(session), "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["line"], error["field"]) == (3, "line 3: country")


def test_integers_too_large_for_their_column_are_422_not_500(
    client: TestClient, session: Session
) -> None:
    auth = bearer(session)
    response = client.post("/v1/observations", json=observation(value=10**30), headers=auth)
    assert response.status_code in (201, 422)  # a float column takes it as 1e30
    path = "/v1/sources"
    example = _writable_example(client, path)
    ints = [k for k, v in example.items() if isinstance(v, int) and not isinstance(v, bool)]
    for name in ints:
        body = {**example, "key": "huge-int", name: 2**70}
        response = client.post(path, json=body, headers=auth)
        assert response.status_code == 422, response.text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_seeds_and_imports_meet_the_same_rule(value: float) -> None:
    with pytest.raises(ValidationError) as raised:
        OBSERVATIONS.content(observation(value=value))
    assert raised.value.errors()[0]["loc"] == ("value",)
    assert raised.value.errors()[0]["type"] == "finite_number"


@pytest.mark.parametrize("path", PLAIN_GETS)
def test_head_answers_wherever_get_does(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code, path
    assert head.content == b""
    for name in ("content-type", "etag", "cache-control"):
        assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_head_on_a_record_and_its_history(client: TestClient) -> None:
    for suffix in ("", "/revisions"):
        path = "/v1/observations/ai-accelerators-us-2025" + suffix
        assert client.head(path).status_code == 200
        assert client.head(path).content == b""


def test_a_wrong_method_lists_head_among_those_allowed(client: TestClient) -> None:
    response = client.patch("/v1/sources")
    assert response.status_code == 405
    assert "HEAD" in response.headers["allow"].split(", ")


QUERY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2025-06-01", "2025-13", "0", "-1", "1e309", "NaN", "2025-06-01T25:00"]),
)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(sorted({*AS_OF_PATHS, *RANGE_PATHS})),
    params=st.dictionaries(
        st.sampled_from(["as_of", "from", "to", "limit", "page", "sort", "tolerance", "format"]),
        QUERY_TEXT,
        max_size=4,
    ),
)
def test_fuzzed_query_values_are_answers_or_problems_never_5xx(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"] or response.json()["detail"]
