"""LMArena leaderboards imported as published, over HTTP: the fixture, spellings, strictness."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.errors import InvalidData
from api.models import AiModel, ArenaScore, Change
from api.services.lmarena import LeaderboardFormat, import_lmarena
from tests.writes.helpers import bearer

FIXTURE = Path(__file__).parent / "fixtures" / "leaderboard-text-2025-04-24.json"
URL = "/v1/models/arena-scores/import/lmarena"
CSV_HEADER = (
    "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,"
    "knowledge_cutoff,url"
)


def _leaderboard_csv(*rows: str, header: str = CSV_HEADER) -> str:
    """A leaderboard CSV: the header, then each row on its line."""
    return "\n".join([header, *rows])


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    return bearer(session, "arena-curator")


def _json(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Content-Type": "application/json"}


def _csv(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Content-Type": "text/csv"}


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.exec(select(func.count()).select_from(AiModel)).one(),
        session.exec(select(func.count()).select_from(ArenaScore)).one(),
        session.exec(select(func.count()).select_from(Change)).one(),
    )


def _import_fixture(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    response = client.post(
        URL,
        params={"month": "2025-04", "snapshot": "2025-04-24"},
        content=FIXTURE.read_bytes(),
        headers=_json(auth),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_fixture_gives_april_2025_with_its_uncertainty(
    client: TestClient, auth: dict[str, str]
) -> None:
    result = _import_fixture(client, auth)
    assert (result["rows"], result["created"], result["revised"]) == (222, 222, 0)
    assert result["warnings"] == []  # the registry places every model of the fixture
    assert result["source_location"] == (
        "LMArena leaderboard JSON, category full, snapshot 2025-04-24"
    )
    current = client.get("/v1/models/lag/current").json()
    assert current["month"] == "2025-04"
    assert current["us"]["model"] == "gemini-2.5-pro-exp-03-25"
    assert current["cn"]["model"] == "deepseek-v3-0324"
    assert (current["lag_months"], current["censored"], current["leader"]) == (4, False, "US")
    assert current["interval"]["level"] == 0.9
    assert current["interval"]["low"] <= 4 <= current["interval"]["high"]
    assert 0 <= current["p_china_ahead"] < 0.01
    assert current["uncertainty"]["draws"] == 2000
    score = client.get("/v1/models/arena-scores/2025-04.deepseek-v3-0324").json()
    assert score["ci_lower"] < score["score"] < score["ci_upper"]
    assert (score["source_key"], score["category"], score["country"]) == (
        "lmsys-chatbot-arena",
        "full",
        "CN",
    )
    assert score["source_location"] == result["source_location"]
    model = client.get("/v1/models/catalog/deepseek-v3-0324").json()
    assert (model["classification"], model["family_rule"]) == ("family_rule", "deepseek")
    french = client.get("/v1/models/catalog/mistral-large-2411").json()
    assert (french["country"], french["organization"]) == ("FR", "Mistral AI")


def test_the_same_snapshot_twice_changes_nothing(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    _import_fixture(client, auth)
    before = _counts(session)
    etag = client.get("/v1/models/lag/current").headers["etag"]
    again = _import_fixture(client, auth)
    assert (again["created"], again["revised"], again["unchanged"]) == (0, 0, 222)
    assert again["models_created"] == []
    assert _counts(session) == before
    assert client.get("/v1/models/lag/current").headers["etag"] == etag


def test_the_csv_spelling_the_same_models_differently_makes_no_duplicate(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    _import_fixture(client, auth)
    models_before = _counts(session)[0]
    body = _leaderboard_csv(
        '1,1,Gemini-2.5-Pro-Exp-03-25,1440,+6/-5,"12,441",Google,Proprietary,,',
        "2,2,ChatGPT-4o-latest (2025-03-26),1410,+5/-5,9000,OpenAI,Proprietary,,",
        "3,3,DeepSeek-V3-0324,1373,+6/-7,5000,DeepSeek,MIT,,",
        "4,4,Yi-Lightning,1287,+4/-4,28000,01 AI,Proprietary,,",
    )
    response = client.post(
        URL,
        params={"month": "2025-04", "snapshot": "2025-04-30"},
        content=body,
        headers=_csv(auth),
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["models_created"] == []
    assert (result["created"], result["revised"]) == (0, 4)
    # The later snapshot leaves out 218 of the month's models: their scores are retired.
    assert result["retired"] == 218
    models_after, *_ = _counts(session)
    # Only revisions that record the leaderboard's organization label: no new model.
    keys = session.exec(select(AiModel.key).where(col(AiModel.valid_to).is_(None))).all()
    assert len(keys) == len(set(keys))
    assert models_after >= models_before
    gemini = client.get("/v1/models/arena-scores/2025-04.gemini-2.5-pro-exp-03-25").json()
    assert (gemini["score"], gemini["votes"], gemini["ci_lower"], gemini["ci_upper"]) == (
        1440,
        12441,
        1435,
        1446,
    )
    assert gemini["revision"] == 2
    history = client.get("/v1/models/arena-scores/2025-04.gemini-2.5-pro-exp-03-25/revisions")
    assert [r["source_location"][-10:] for r in history.json()] == ["2025-04-24", "2025-04-30"]


def test_an_unknown_family_is_listed_and_strict_writes_nothing(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    body = _leaderboard_csv(
        "1,1,Zorblax-Ultra-0501,1500,+9/-9,900,Zorblax Labs,Proprietary,,",
        "2,2,GPT-4.1-2025-04-14,1363,+4/-4,9000,OpenAI,Proprietary,,",
        "3,3,Qwen3-235B-A22B,1350,+5/-5,8000,Alibaba,Apache 2.0,,",
    )
    before = _counts(session)
    strict = client.post(
        URL, params={"month": "2025-05", "strict": "true"}, content=body, headers=_csv(auth)
    )
    assert strict.status_code == 422
    assert strict.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in strict.json()["errors"]] == ["model Zorblax-Ultra-0501"]
    assert _counts(session) == before
    lenient = client.post(URL, params={"month": "2025-05"}, content=body, headers=_csv(auth))
    assert lenient.status_code == 200, lenient.text
    warnings = lenient.json()["warnings"]
    assert [(w["model"], w["leaderboard_organization"]) for w in warnings] == [
        ("zorblax-ultra-0501", "Zorblax Labs")
    ]
    may = next(p for p in client.get("/v1/models/lag").json()["series"] if p["month"] == "2025-05")
    # It outscores both countries' best, so the month says so; it counts for neither.
    assert may["us"]["model"] == "gpt-4.1-2025-04-14"
    assert may["cn"]["model"] == "qwen3-235b-a22b"
    assert [(m["model"], m["above"]) for m in may["unclassified_above"]] == [
        ("zorblax-ultra-0501", ["US", "CN"])
    ]


def test_classifying_later_corrects_every_figure_without_a_reimport(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = _leaderboard_csv(
        "1,1,Zorblax-Ultra-0501,1500,+9/-9,900,,,,",
        "2,2,qwen-max-0919,1300,+5/-5,1,,,,",
    )
    assert client.post(
        URL, params={"month": "2025-05"}, content=body, headers=_csv(auth)
    ).is_success
    organization = {
        "key": "zorblax-labs",
        "name": "Zorblax Labs",
        "country": "CN",
        "source_key": "aigap-registry",
        "source_location": "curator note",
    }
    response = client.post("/v1/models/organizations", json=organization, headers=auth)
    assert response.status_code == 201, response.text
    rule = {
        "key": "zorblax",
        "pattern": "^zorblax",
        "organization_key": "zorblax-labs",
        "source_key": "aigap-registry",
        "source_location": "curator note",
        "note": "Zorblax models are Zorblax Labs'.",
    }
    response = client.post("/v1/models/families", json=rule, headers=auth)
    assert response.status_code == 201, response.text
    model = client.get("/v1/models/catalog/zorblax-ultra-0501").json()
    assert (model["country"], model["classification"], model["revision"]) == (
        "CN",
        "family_rule",
        2,
    )
    may = next(p for p in client.get("/v1/models/lag").json()["series"] if p["month"] == "2025-05")
    assert may["cn"]["model"] == "zorblax-ultra-0501"
    assert may["unclassified_above"] == []


def test_an_alias_joins_a_spelling_no_rule_can(client: TestClient, auth: dict[str, str]) -> None:
    _import_fixture(client, auth)
    alias = {
        "alias": "Claude 3.7 Sonnet (thinking-32k)",
        "model_key": "claude-3-7-sonnet-20250219-thinking-32k",
    }
    response = client.post("/v1/models/aliases", json=alias, headers=auth)
    assert response.status_code == 201, response.text
    assert response.json()["key"] == "claude-3-7-sonnet-thinking-32k"
    body = _leaderboard_csv("1,1,Claude 3.7 Sonnet (thinking-32k),1301,+4/-4,1000,Anthropic,,,")
    response = client.post(URL, params={"month": "2025-05"}, content=body, headers=_csv(auth))
    assert response.status_code == 200, response.text
    assert response.json()["models_created"] == []
    score = client.get("/v1/models/arena-scores/2025-05.claude-3-7-sonnet-20250219-thinking-32k")
    assert score.status_code == 200


def test_other_categories_are_kept_apart_and_never_feed_the_lag(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        URL,
        params={"month": "2025-04", "category": "coding"},
        content=FIXTURE.read_bytes(),
        headers=_json(auth),
    )
    assert response.status_code == 200, response.text
    coding = client.get(
        "/v1/models/arena-scores", params={"category": "coding", "limit": 1000}
    ).json()
    assert coding["total"] == response.json()["rows"]
    assert all(item["key"].startswith("2025-04.coding.") for item in coding["items"])
    months = [p["month"] for p in client.get("/v1/models/lag").json()["series"]]
    assert "2025-04" not in months


@pytest.mark.parametrize(
    ("body", "content_type", "params", "field"),
    [
        (b'{"full": {"m": {"rating": NaN}}}', "application/json", {}, "body"),
        (b'{"full": {"m": {"rating": 1e999}}}', "application/json", {}, "full.m.rating"),
        (
            b'{"full": {"m": {"rating": 1300}}}',
            "application/json",
            {"category": "math"},
            "category",
        ),
        (b'{"full": {"m": {"rating": 13000}}}', "application/json", {}, "m: score"),
        (
            b'{"full": {"m": {"rating": 1300, "rating_q025": 1310, "rating_q975": 1320}}}',
            "application/json",
            {},
            "m: row",
        ),
        (
            b'{"full": {"m": {"rating": 1300, "rating_q025": 1290}}}',
            "application/json",
            {},
            "full.m.rating_q025",
        ),
        (b"[1, 2]", "application/json", {}, "body"),
        (b'{"full": {}, "updated": "2025-06-30"}', "application/json", {}, "category"),
        (b'{"updated": "2025-06-30"}', "application/json", {}, "category"),
        (f"{CSV_HEADER},model\n1,1,a,1300,,,,,,,a\n".encode(), "text/csv", {}, "header"),
        (f"{CSV_HEADER}\n1,1,a,1300,5,,,,,\n".encode(), "text/csv", {}, "95_pct_ci"),
        (f"{CSV_HEADER}\n1,1,a,1300,+5/-5,lots,,,,\n".encode(), "text/csv", {}, "votes"),
        (f"{CSV_HEADER}\n1,1,a,1300,,,,,,\n2,2,A,1301,,,,,,\n".encode(), "text/csv", {}, "model"),
        (b"model\nx\n", "text/csv", {}, "header"),
        (  # a model name longer than its column: a 422, never a 500
            b'{"full": {"' + b"m" * 300 + b'": {"rating": 1300}}}',
            "application/json",
            {},
            ": name",
        ),
        (f"{CSV_HEADER}\n1,1,{'m' * 300},1300,,,,,,\n".encode(), "text/csv", {}, ": name"),
        (
            f"{CSV_HEADER}\n1,1,a,1300,,,,,,\n".encode(),
            "text/csv",
            {"category": "coding"},
            "query.category",
        ),
    ],
)
def test_a_bad_file_names_the_problem_and_writes_nothing(
    client: TestClient,
    session: Session,
    auth: dict[str, str],
    body: bytes,
    content_type: str,
    params: dict[str, str],
    field: str,
) -> None:
    before = _counts(session)
    response = client.post(
        URL,
        params={"month": "2025-06", **params},
        content=body,
        headers={**auth, "Content-Type": content_type},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in response.json().get("errors", [])]
    assert any(field in f for f in fields), fields
    assert _counts(session) == before


def test_the_media_type_and_the_month_are_checked(client: TestClient, auth: dict[str, str]) -> None:
    wrong_type = client.post(
        URL,
        params={"month": "2025-04"},
        content=b"{}",
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert wrong_type.status_code == 415
    assert "application/json" in wrong_type.json()["detail"]
    bad_month = client.post(URL, params={"month": "2025-13"}, content=b"{}", headers=_json(auth))
    assert bad_month.status_code in (400, 422)
    assert "month" in json.dumps(bad_month.json())
    no_key = client.post(
        URL,
        params={"month": "2025-04"},
        content=b"{}",
        headers={"Content-Type": "application/json"},
    )
    assert no_key.status_code == 401


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"month": "2999-01"}, "query.month", "2999-01 has not begun"),
        ({"month": "2025-04", "snapshot": "2025-03-31"}, "query.snapshot", "cannot show"),
        ({"month": "2025-04", "snapshot": "2999-01-01"}, "query.snapshot", "is after today"),
    ],
)
def test_a_month_not_yet_begun_or_a_snapshot_outside_its_time_writes_nothing(
    client: TestClient,
    session: Session,
    auth: dict[str, str],
    params: dict[str, str],
    field: str,
    reason: str,
) -> None:
    """A later month's scores would become the current lag, years ahead of the data."""
    before = _counts(session)
    response = client.post(URL, params=params, content=FIXTURE.read_bytes(), headers=_json(auth))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert reason in error["reason"]
    assert _counts(session) == before


def test_this_month_and_a_snapshot_of_today_are_taken(session: Session) -> None:
    today = date(2025, 4, 24)
    body = FIXTURE.read_bytes()
    report = import_lmarena(
        session,
        body,
        leaderboard_format=LeaderboardFormat.json,
        month="2025-04",
        snapshot=today,
        actor="curator",
        today=today,
    )
    assert report.created == 222
    with pytest.raises(InvalidData, match="2025-05 has not begun"):
        import_lmarena(
            session,
            body,
            leaderboard_format=LeaderboardFormat.json,
            month="2025-05",
            actor="curator",
            today=today,
        )


def test_every_door_refuses_a_score_for_a_month_not_yet_begun(
    client: TestClient, auth: dict[str, str]
) -> None:
    score = {
        "key": "2999-01.gpt-4o",
        "month": "2999-01",
        "model_key": "gpt-4o",
        "score": 1300,
        "source_location": "a leaderboard from the future",
    }
    response = client.post("/v1/models/arena-scores", json=score, headers=auth)
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["body.month"]
    assert "2999-01 has not begun" in response.json()["errors"][0]["reason"]


def test_an_empty_snapshot_retires_nothing_and_other_keys_are_no_category(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    _import_fixture(client, auth)
    before = _counts(session)
    empty = client.post(
        URL, params={"month": "2025-04"}, content=b'{"full": {}}', headers=_json(auth)
    )
    assert empty.status_code == 422, empty.text
    assert "lists no models" in empty.json()["errors"][0]["reason"]
    assert _counts(session) == before
    with_a_date = json.loads(FIXTURE.read_bytes()) | {"last_updated": "2025-04-24"}
    again = client.post(
        URL,
        params={"month": "2025-04", "snapshot": "2025-04-24"},
        content=json.dumps(with_a_date).encode(),
        headers=_json(auth),
    )
    assert again.status_code == 200, again.text
    assert (again.json()["unchanged"], again.json()["retired"]) == (222, 0)


JUNE = {"from": "2025-06", "to": "2025-06", "sort": "key"}
SNAPSHOT = {"month": "2025-06", "snapshot": "2025-06-30"}  # provenance names the date


def test_the_tables_own_headings_and_symmetric_intervals_read_as_the_csv(
    client: TestClient, auth: dict[str, str]
) -> None:
    """A spreadsheet export of the public table: its headings, `±E` intervals."""
    canonical = _leaderboard_csv(
        '1,1,Gemini-2.5-Pro,1474,+5/-5,"19,209",Google,Proprietary,,',
        "2,2,DeepSeek-R1-0528,1424,+6/-6,9000,DeepSeek,MIT,,",
    )
    exported = _leaderboard_csv(
        '1,1,Gemini-2.5-Pro,1474,±5,"19,209",Google,Proprietary',
        "2,2,DeepSeek-R1-0528,1424,+/-6,9000,DeepSeek,MIT",
        header="Rank* (UB),Rank (StyleCtrl),Model,Arena Score,95% CI,Votes,Organization,License",
    )
    first = client.post(URL, params=SNAPSHOT, content=canonical, headers=_csv(auth))
    assert first.status_code == 200, first.text
    scores = client.get("/v1/models/arena-scores", params=JUNE).json()["items"]
    assert [(s["score"], s["ci_lower"], s["ci_upper"], s["votes"]) for s in scores] == [
        (1424, 1418, 1430, 9000),
        (1474, 1469, 1479, 19209),
    ]
    again = client.post(URL, params=SNAPSHOT, content=exported.encode(), headers=_csv(auth))
    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["revised"]) == (0, 0)
    assert client.get("/v1/models/arena-scores", params=JUNE).json()["items"] == scores
    other = exported.replace("Arena Score", "Score").replace("95% CI", "Confidence Interval")
    third = client.post(URL, params=SNAPSHOT, content=other, headers=_csv(auth))
    assert (third.json()["created"], third.json()["revised"]) == (0, 0), third.text
