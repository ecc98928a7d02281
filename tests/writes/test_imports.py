"""CSV imports through the API: validated first, all or nothing, idempotent."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from api.models import ArenaScore, Change
from tests.writes.helpers import bearer

URL = "/v1/models/arena-scores/import"
HEADER = "month,model,organization,country,score"


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    return {**bearer(session, "importer"), "Content-Type": "text/csv"}


def _count(session: Session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(ArenaScore)).one(),
        session.exec(select(func.count()).select_from(Change)).one(),
    )


def test_import_creates_models_and_the_lag_sees_the_new_month(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = (
        "\n".join(
            [
                HEADER + ",votes,ci_lower,ci_upper",
                "2025-04,gpt-5-preview,OpenAI,US,1430,12000,1425,1435",
                "2025-04,deepseek-r1,DeepSeek,CN,1366,,,",
                "2025-04,mistral-large,Mistral,FR,1300,,,",
            ]
        )
        + "\n"
    )
    response = client.post(URL, content=body, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "rows": 3,
        "created": 3,
        "revised": 0,
        "unchanged": 0,
        "models_created": ["gpt-5-preview", "mistral-large"],
    }
    french = client.get("/v1/models/catalog/mistral-large").json()
    assert (french["organization"], french["country"]) == ("Mistral", "FR")
    score = client.get("/v1/models/arena-scores/2025-04.gpt-5-preview").json()
    assert (score["votes"], score["ci_lower"], score["source_key"]) == (
        12000,
        1425,
        "lmsys-chatbot-arena",
    )
    lag = client.get("/v1/models/lag").json()
    april = next(p for p in lag["series"] if p["month"] == "2025-04")
    assert april["us"]["model"] == "gpt-5-preview"
    assert april["cn"]["score"] == 1366

    again = client.post(URL, content=body, headers=auth)
    assert again.json() == {
        "rows": 3,
        "created": 0,
        "revised": 0,
        "unchanged": 3,
        "models_created": [],
    }


def test_one_bad_row_among_10000_changes_nothing_and_is_named(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    rows = [HEADER] + [
        f"{2010 + i // 12 // 500:04d}-{i % 12 + 1:02d},model-{i // 12},Lab,US,{1000 + i % 97}"
        for i in range(10_000)
    ]
    rows[7_777] = "2011-02,model-x,Lab,US,not-a-score"
    before = _count(session)
    response = client.post(URL, content="\n".join(rows) + "\n", headers=auth)
    assert response.status_code == 422
    body = response.json()
    assert body["problem_count"] == 1
    assert body["errors"] == [
        {"field": "line 7778: score", "reason": "not a number: 'not-a-score'", "line": 7778}
    ]
    assert _count(session) == before


@pytest.mark.parametrize(
    ("content", "content_type", "status", "reason"),
    [
        ("month,model\n2025-01,x\n", "text/csv", 422, "missing column"),
        (HEADER + "\n", "text/csv", 422, "no data rows"),
        (HEADER + "\n2025-1,x,Lab,US,1\n", "text/csv", 422, "is not allowed here: YYYY-MM"),
        (HEADER + "\n2025-01,x,Lab,USA,1\n", "text/csv", 422, "ISO 3166"),
        (HEADER + "\n2025-01,x,Lab,US,1,extra\n", "text/csv", 422, "more fields"),
        (
            HEADER + "\n2025-01,x,Lab,US,1300\n2025-01,x,Lab,US,1301\n",
            "text/csv",
            422,
            "second score",
        ),
        (HEADER + ",score\n2025-01,x,Lab,US,1300,1301\n", "text/csv", 422, "more than once"),
        (HEADER + "\n2025-01,x,Lab,US,13000\n", "text/csv", 422, "less than or equal to 2500"),
        (HEADER + "\n2025-01,x,Lab,UK,1300\n", "text/csv", 422, "not an ISO 3166-1"),
        (HEADER + "\n2025-01,x,Lab,XX,1300\n", "text/csv", 422, "not an ISO 3166-1"),
        (HEADER + "\n2025-01,x,Zhipu,US,1300\n", "text/csv", 422, "registered as based in CN"),
        (
            HEADER + ",ci_lower,ci_upper\n2025-01,x,Lab,US,1300,1310,1320\n",
            "text/csv",
            422,
            "must contain the score",
        ),
        (
            HEADER + "\n2025-01,gpt-4o-2024-05-13,Anthropic,US,1\n",
            "text/csv",
            422,
            "registered as OpenAI",
        ),
        (HEADER + "\n2999-01,x,Lab,US,1300\n", "text/csv", 422, "2999-01 has not begun"),
        (HEADER + "\n2025-01,x,Lab,US,1\n", "application/json", 415, "text/csv"),
    ],
)
def test_bad_files(
    client: TestClient,
    session: Session,
    auth: dict[str, str],
    content: str,
    content_type: str,
    status: int,
    reason: str,
) -> None:
    before = _count(session)
    response = client.post(URL, content=content, headers={**auth, "Content-Type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert reason in response.text
    assert _count(session) == before


def test_bad_bytes(client: TestClient, session: Session, auth: dict[str, str]) -> None:
    before = _count(session)
    latin = (HEADER + "\n2025-01,caf\xe9,Lab,US,1\n").encode("latin-1")
    assert client.post(URL, content=latin, headers=auth).status_code == 422
    nul = (HEADER + "\n2025-01,x\x00y,Lab,US,1\n").encode()
    response = client.post(URL, content=nul, headers=auth)
    assert response.status_code == 422
    assert "NUL" in response.text
    huge = (HEADER + "\n2025-01," + "x" * 10_500_000 + ",Lab,US,1\n").encode()
    assert client.post(URL, content=huge, headers=auth).status_code == 413
    assert _count(session) == before


def test_observation_and_funding_imports(client: TestClient, auth: dict[str, str]) -> None:
    observations = (
        "indicator_key,country,period,value,qualifier,status,source_location\n"
        "ai-accelerators,US,2026,20000000,more_than,projected,next drop table 1\n"
        "ai-accelerators,CN,2026,6000000,about,projected,next drop table 1\n"
    )
    done = client.post("/v1/observations/import", content=observations, headers=auth)
    assert done.status_code == 200, done.text
    assert done.json()["created"] == 2
    made = client.get("/v1/observations/ai-accelerators-us-2026").json()
    assert (made["value"], made["qualifier"], made["period_end"]) == (
        2e7,
        "more_than",
        "2026-12-31",
    )
    funding = (
        "key,program,country,level,measure,amount,currency,amount_usd,status,period_start,"
        "period_end,source_location\n"
        "us-federal-ai-it-rd-fy2026,Federal AI and IT R&D budget,US,central_government,"
        "annual_budget,12000000000,USD,12000000000,budgeted,2025-10-01,2026-09-30,next drop\n"
        "bad-row,Something,US,galactic,fund_size,1,USD,1,actual,,,x\n"
    )
    rejected = client.post("/v1/funding/records/import", content=funding, headers=auth)
    assert rejected.status_code == 422
    assert rejected.json()["errors"][0]["field"] == "line 3: level"
    fixed = funding.replace("galactic", "subnational")
    assert (
        client.post("/v1/funding/records/import", content=fixed, headers=auth).json()["created"]
        == 2
    )


def test_import_needs_a_write_key(client: TestClient) -> None:
    response = client.post(URL, content=HEADER + "\n", headers={"Content-Type": "text/csv"})
    assert response.status_code == 401


def test_case_and_date_spellings_of_one_model_are_one_model(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = (
        "\n".join(
            [
                HEADER,
                "2025-05,gemini-2.5-pro,Google,US,1440",
                "2025-06,Gemini-2.5-Pro,google,US,1445",
                "2025-06,GPT-4o (2024-05-13),OpenAI,US,1290",
            ]
        )
        + "\n"
    )
    response = client.post(URL, content=body, headers=auth)
    assert response.status_code == 200, response.text
    # gemini-2.5-pro is new; GPT-4o (2024-05-13) is the catalog's gpt-4o-2024-05-13.
    assert response.json()["models_created"] == ["gemini-2.5-pro"]
    june = client.get("/v1/models/arena-scores/2025-06.gpt-4o-2024-05-13").json()
    assert june["score"] == 1290
    assert client.get("/v1/models/arena-scores/2025-06.gemini-2.5-pro").status_code == 200


def test_a_model_the_registry_only_derived_is_curated_by_the_file(
    client: TestClient, auth: dict[str, str]
) -> None:
    lmarena = "/v1/models/arena-scores/import/lmarena"
    leaderboard = "model,arena_score\nZorblax-1,1300\n"
    response = client.post(lmarena, params={"month": "2025-05"}, content=leaderboard, headers=auth)
    assert response.status_code == 200, response.text
    assert client.get("/v1/models/catalog/zorblax-1").json()["classification"] == "unclassified"
    response = client.post(
        URL, content=HEADER + "\n2025-06,ZORBLAX-1,Zorblax,KR,1301\n", headers=auth
    )
    assert response.status_code == 200, response.text
    model = client.get("/v1/models/catalog/zorblax-1").json()
    assert (model["classification"], model["country"], model["organization"]) == (
        "curated",
        "KR",
        "Zorblax",
    )


def test_an_import_checks_rows_as_every_door_does(client: TestClient, auth: dict[str, str]) -> None:
    """One validation path: the field and reason a body would get, on the row's line;
    references checked against the database and the file itself."""
    observations = (
        "indicator_key,country,period,value,source_location\n"
        "ai-accelerators,US,2024/2023,1,x\n"
        "no-such-indicator,US,2026,1,x\n"
        "ai-accelerators,US,2027,lots,x\n"
    )
    rejected = client.post("/v1/observations/import", content=observations, headers=auth)
    assert rejected.status_code == 422
    assert [(e["field"], e["reason"]) for e in rejected.json()["errors"]] == [
        ("line 2: period", "Value error, period '2024/2023' ends before it starts"),
        ("line 3: indicator_key", "no indicator with key 'no-such-indicator'"),
        ("line 4: value", "not a number: 'lots'"),
    ]
    funding = (
        "key,program,country,level,measure,amount,currency,status,overlaps_with,overlap_kind,"
        "source_location\n"
        "a-part,Part,US,central_government,annual_budget,1,USD,budgeted,a-whole,part_of,x\n"
        "a-whole,Whole,US,central_government,annual_budget,2,USD,budgeted,,,x\n"
    )
    done = client.post("/v1/funding/records/import", content=funding, headers=auth)
    assert done.status_code == 200, done.text  # a later row of the file is a record


def test_a_model_placed_two_ways_in_one_file_is_named_on_each_other_line(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    rows = [
        "2025-01,x,Lab,US,1300",
        "2025-02,x,Other Lab,US,1301",  # line 3: another organization
        "2025-03,x,Lab,US,1302",  # as line 2 placed it: fine
        "2025-04,x,lab,US,1303",  # the same organization in another case: fine
        "2025-05,x,Lab,FR,1304",  # line 6: another country
    ]
    before = _count(session)
    response = client.post(URL, content=HEADER + "\n" + "\n".join(rows) + "\n", headers=auth)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["line"], e["field"].split(": ")[1]) for e in errors] == [
        (3, "organization"),
        (6, "organization"),
    ]
    assert all("the model of line 2, given there as Lab (US)" in e["reason"] for e in errors)
    assert _count(session) == before
