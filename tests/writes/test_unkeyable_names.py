"""Names whose letters a key cannot hold are refused at every door that derives a key from
them, never shortened into another record's key; accented letters fold to their base."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from api.models import ArenaScore, Change
from api.services.kinds import slug
from api.services.registry import identity, name_problem
from api.services.spelling import UnkeyableName, fold, letters_lost
from tests.writes.helpers import bearer

CHINESE_MAX = "通义千问-Max"


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    return {**bearer(session, "importer")}


def _written(session: Session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(ArenaScore)).one(),
        session.exec(select(func.count()).select_from(Change)).one(),
    )


@pytest.mark.parametrize(
    ("name", "folded"),
    [("Mé", "me"), ("Straße", "strasse"), ("\uff27\uff30\uff34-\uff14", "gpt-4"), ("GPT", "gpt")],
)
def test_letters_fold_to_the_latin_alphabet(name: str, folded: str) -> None:
    assert fold(name) == folded
    assert letters_lost(name) == ""
    assert slug(name) == folded


def test_an_accent_keeps_a_model_apart_from_its_base_letters() -> None:
    assert identity("mé") == identity("ME") == "me"
    assert identity("mé") != identity("m")


@pytest.mark.parametrize("name", [CHINESE_MAX, "文心一言", "Яндекс-GPT"])
def test_letters_outside_the_latin_alphabet_are_named_not_dropped(name: str) -> None:
    problem = name_problem(name)
    assert problem is not None
    assert "has letters a key cannot hold" in problem
    with pytest.raises(UnkeyableName):
        slug(name)


def test_emoji_are_not_letters() -> None:
    assert name_problem("\N{ROBOT FACE}") == "'\N{ROBOT FACE}' has no letters or digits"


def test_a_csv_import_refuses_the_name_and_writes_nothing(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    before = _written(session)
    body = f"month,model,organization,country,score\n2025-01,{CHINESE_MAX},Alibaba,CN,1300\n"
    response = client.post(
        "/v1/models/arena-scores/import",
        content=body.encode(),
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == "line 2: model"
    assert "通义千问" in error["reason"]
    assert "Latin letters" in error["reason"]
    assert _written(session) == before


def test_an_lmarena_file_refuses_the_name(
    client: TestClient, session: Session, auth: dict[str, str]
) -> None:
    before = _written(session)
    board = {"full": {CHINESE_MAX: {"rating": 1300.0}, "gpt-4o": {"rating": 1280.0}}}
    response = client.post(
        "/v1/models/arena-scores/import/lmarena",
        params={"month": "2025-01"},
        content=json.dumps(board).encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert any("has letters a key cannot hold" in e["reason"] for e in response.json()["errors"])
    assert _written(session) == before


FUNDING = (
    "{key}program,country,level,measure,amount,currency,status,period_start,source_location\n"
    "{value}{program},CN,central_government,annual_budget,1000000,CNY,budgeted,2030-01-01,x\n"
)


def test_a_funding_row_named_in_chinese_needs_its_own_key(
    client: TestClient, auth: dict[str, str]
) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    programs = ["新一代人工智能发展规划", "人工智能+行动"]
    for program in programs:
        body = FUNDING.format(key="", value="", program=program)
        response = client.post("/v1/funding/records/import", content=body.encode(), headers=headers)
        assert response.status_code == 422, response.text
        (error,) = response.json()["errors"]
        assert error["field"] == "line 2: key"
        assert "give the row a key" in error["reason"]
    for number, program in enumerate(programs):
        body = FUNDING.format(key="key,", value=f"cn-ai-plan-{number},", program=program)
        response = client.post("/v1/funding/records/import", content=body.encode(), headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 1
    for number, program in enumerate(programs):
        record = client.get(f"/v1/funding/records/cn-ai-plan-{number}").json()
        assert record["program"] == program


def test_an_alias_without_a_key_must_be_keyable(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/v1/models/aliases",
        json={
            "alias": CHINESE_MAX,
            "model_key": "gpt-4o",
            "source_key": "lmsys-chatbot-arena",
            "source_location": "a test",
        },
        headers=auth,
    )
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["body.alias"], response.text
