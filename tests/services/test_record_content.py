"""A record's content is what pydantic's documented path gives: `model_validate` then
`model_dump` of the kind's create model. RecordKind.content takes a shorter path to the
same validator and serializer (api/services/records.py `_validated`); these tests hold it
to the documented one, on every seed entry and on bad input."""

from typing import Any

import pytest
from pydantic import ValidationError

from api import SEEDS_DIR
from api.models.base import PRIMARY_SOURCE
from api.services.kinds import KINDS
from api.services.models import ARENA_SCORES
from api.services.records import RecordKind
from api.services.seed import _renamed, collect


def _documented(kind: RecordKind, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert kind.create is not None
    content = kind.create.model_validate(kind.prepare(dict(raw))).model_dump()
    return content.pop("key"), content


def _seed_entries() -> list[tuple[RecordKind, dict[str, Any]]]:
    entries = collect(SEEDS_DIR)
    found = []
    for registered in KINDS:
        kind = registered.kind
        assert kind.create is not None
        for entry in entries.get(registered.table, []):
            raw = _renamed(entry.raw)
            if "source_key" in kind.create.model_fields:
                raw.setdefault("source_key", PRIMARY_SOURCE)
            found.append((kind, raw))
    return found


def test_every_seed_entry_gets_the_documented_content() -> None:
    entries = _seed_entries()
    assert len({kind.name for kind, _ in entries}) >= 10
    for kind, raw in entries:
        assert kind.content(raw) == _documented(kind, raw), (kind.name, raw.get("key"))


SCORE = {
    "key": "2024-01.gpt-4o",
    "month": "2024-01",
    "model_key": "gpt-4o",
    "score": "1234.5",
    "votes": "1000",
    "source_key": "lmsys-chatbot-arena",
    "source_location": "leaderboard, 2024-01",
}


@pytest.mark.parametrize(
    "change",
    [
        {"score": "many"},
        {"month": "2024-13"},
        {"votes": "-1"},
        {"votes": "1.5"},
        {"score": None},
        {"month": "January"},
        {"key": None},
    ],
)
def test_bad_input_fails_with_the_documented_errors(change: dict[str, Any]) -> None:
    raw = {**SCORE, **change}
    assert ARENA_SCORES.create is not None
    with pytest.raises(ValidationError) as documented:
        ARENA_SCORES.create.model_validate(ARENA_SCORES.prepare(dict(raw)))
    with pytest.raises(ValidationError) as ours:
        ARENA_SCORES.content(raw)
    assert ours.value.errors() == documented.value.errors()
    assert ours.value.title == documented.value.title


def test_a_good_score_is_the_documented_content() -> None:
    for raw in (SCORE, {**SCORE, "ci_lower": "1200", "ci_upper": "1300", "unknown": "x"}):
        assert ARENA_SCORES.content(raw) == _documented(ARENA_SCORES, raw)
