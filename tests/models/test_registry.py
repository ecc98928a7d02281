"""The model registry: identities, the curated tables in seeds/, and writes through the API."""

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from api import SEEDS_DIR
from api.models.models import Classification
from api.models.patterns import backtracking_risk
from api.services.registry import Registry, identity, load_registry
from tests.writes.helpers import bearer

FIXTURE = Path(__file__).parent / "fixtures" / "leaderboard-text-2025-04-24.json"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("gemini-2.5-pro", "Gemini-2.5-Pro"),
        ("gemini-2.5-pro", "gemini 2.5 pro"),
        ("chatgpt-4o-latest-20250326", "ChatGPT-4o-latest (2025-03-26)"),
        ("gpt-4o-2024-05-13", "GPT-4o (2024/05/13)"),
        ("internlm2_5-20b-chat", "InternLM2.5-20B-Chat"),
    ],
)
def test_spellings_of_one_model_share_an_identity(one: str, other: str) -> None:
    assert identity(one) == identity(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("gpt-4o", "gpt-4o-mini"), ("deepseek-r1", "deepseek-r1-0528"), ("o1", "o1-preview")],
)
def test_different_models_stay_different(one: str, other: str) -> None:
    assert identity(one) != identity(other)


def test_every_model_of_the_2025_leaderboard_is_placed(session: Session) -> None:
    registry = load_registry(session)
    leaderboard = json.loads(FIXTURE.read_text())
    names = {name for category in leaderboard.values() for name in category}
    unplaced = [n for n in sorted(names) if registry.place(n).classification is _UNCLASSIFIED]
    assert unplaced == []


_UNCLASSIFIED = Classification.unclassified


@pytest.mark.parametrize(
    ("name", "organization", "country"),
    [
        ("gemini-2.5-pro-exp-03-25", "Google", "US"),
        ("o3-2025-04-16", "OpenAI", "US"),
        ("early-grok-3", "xAI", "US"),
        ("llama-3.1-nemotron-70b-instruct", "Nvidia", "US"),  # not Meta: the derivative wins
        ("llama-3.1-tulu-3-70b", "Allen Institute for AI", "US"),
        ("gpt4all-13b-snoozy", "Nomic AI", "US"),  # not OpenAI
        ("glm-4-plus-0111", "Zhipu AI", "CN"),
        ("chatglm3-6b", "Zhipu AI", "CN"),
        ("ernie-4.5-turbo", "Baidu", "CN"),
        ("kimi-k2-0711-preview", "Moonshot AI", "CN"),
        ("doubao-1.5-pro-32k", "ByteDance", "CN"),
        ("hunyuan-turbos-20250226", "Tencent", "CN"),
        ("step-2-16k-exp-202412", "StepFun", "CN"),
        ("qwq-32b", "Alibaba", "CN"),
        ("minimax-m1", "MiniMax", "CN"),
        ("mistral-large-2411", "Mistral AI", "FR"),
        ("command-a-03-2025", "Cohere", "CA"),
        ("jamba-1.5-large", "AI21 Labs", "IL"),
        ("falcon-180b-chat", "Technology Innovation Institute", "AE"),
        ("exaone-3.5-32b", "LG AI Research", "KR"),
    ],
)
def test_labs_in_and_beyond_the_two_countries_are_known(
    session: Session, name: str, organization: str, country: str
) -> None:
    placement = load_registry(session).place(name)
    assert (placement.organization, placement.country) == (organization, country)


def test_a_leaderboard_label_places_a_model_no_rule_knows(session: Session) -> None:
    registry = load_registry(session)
    assert registry.place("brand-new-model", "Z.ai").organization == "Zhipu AI"
    assert registry.place("brand-new-model", "zhipu").country == "CN"
    assert registry.place("brand-new-model", "Nobody Labs").classification is _UNCLASSIFIED


def test_curated_models_agree_with_their_organizations_country(session: Session) -> None:
    registry = load_registry(session)
    models = yaml.safe_load((SEEDS_DIR / "ai_models.yaml").read_text())
    for model in models:
        lab = registry.lab_for_label(model["organization"])
        assert lab is not None, model["key"]
        assert lab.country == model["country"], model["key"]


def test_every_family_rule_has_a_note_and_a_known_organization() -> None:
    rules = yaml.safe_load((SEEDS_DIR / "model_families.yaml").read_text())
    organizations = {
        o["key"] for o in yaml.safe_load((SEEDS_DIR / "organizations.yaml").read_text())
    }
    assert all(rule.get("note") for rule in rules)
    assert {rule["organization_key"] for rule in rules} <= organizations


def test_an_inferred_organization_says_so_in_a_field(client: TestClient) -> None:
    qwq = client.get("/v1/models/catalog/qwq-32b-preview").json()
    assert (qwq["organization"], qwq["classification"]) == ("Alibaba", "inferred")


def test_two_catalog_models_spelled_alike_are_ambiguous() -> None:
    registry = Registry([], [], [("gpt-4o", "gpt-4o"), ("gpt-4o-copy", "GPT 4o")], [])
    assert registry.find_models("GPT-4o") == {"gpt-4o", "gpt-4o-copy"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/models/organizations",
            {"key": "lab-x", "name": "Lab X", "country": "UK", "source_location": "x"},
            "body.country",
        ),
        (
            "/v1/models/families",
            {
                "key": "bad",
                "pattern": "([",
                "organization_key": "openai",
                "source_location": "x",
                "note": "n",
            },
            "body.pattern",
        ),
        (
            "/v1/models/families",
            {
                "key": "nonote",
                "pattern": "^x",
                "organization_key": "openai",
                "source_location": "x",
            },
            "body.note",
        ),
        (
            "/v1/models/families",
            {
                "key": "nolab",
                "pattern": "^x",
                "organization_key": "no-such-lab",
                "source_location": "x",
                "note": "n",
            },
            "body.organization_key",
        ),
        ("/v1/models/aliases", {"alias": "X", "model_key": "no-such-model"}, "body.model_key"),
    ],
)
def test_registry_writes_are_validated(
    client: TestClient, session: Session, path: str, body: dict[str, str], field: str
) -> None:
    response = client.post(path, json=body, headers=bearer(session))
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("pattern", "risk"),
    [
        ("(a+)+$", "inside a repetition"),
        ("^(x*)*y", "inside a repetition"),
        ("(.*a){20}", "inside a repetition"),
        ("(?:qwen-?\\d+)+", "inside a repetition"),
        ("(a|aa)+b", "of alternatives"),
        ("^(?:gpt|gpt-4)*o", "of alternatives"),
    ],
)
def test_a_family_pattern_that_can_backtrack_for_ever_is_refused(
    client: TestClient, session: Session, pattern: str, risk: str
) -> None:
    """`(a+)+$` takes seconds on a 26-letter name and years on a 200-letter one, and a
    registry write matches every rule against every model it places."""
    body = {
        "key": "slow",
        "pattern": pattern,
        "organization_key": "openai",
        "source_location": "x",
        "note": "n",
    }
    response = client.post("/v1/models/families", json=body, headers=bearer(session))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "body.pattern"
    assert risk in error["reason"]


@pytest.mark.parametrize(
    "pattern", ["^(gpt-|chatgpt|o[1-9](-|$))", "(^|-)tulu", "^qwen\\d+(-\\d+)?", "(ab)+"]
)
def test_patterns_without_nested_repetition_are_taken(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


def test_every_seeded_family_pattern_matches_in_bounded_time() -> None:
    rules = yaml.safe_load((SEEDS_DIR / "model_families.yaml").read_text())
    assert [r["key"] for r in rules if backtracking_risk(r["pattern"])] == []


def test_the_method_card_states_the_monte_carlo(client: TestClient) -> None:
    card = client.get("/v1/models/lag/method").json()
    assert set(card["methods"]) == {"whole_month", "interpolated"}
    assert (card["uncertainty"]["draws"], card["uncertainty"]["seed"]) == (2000, 0)
    assert card["uncertainty"]["level"] == 0.9
    assert "excludes zero" in card["trend_rule"]
