"""The bulk writer (executemany on SQLite, COPY on PostgreSQL) stores exactly the rows and
change-feed entries that writing the same records one by one stores."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from api.models.base import Operation, VersionFields
from api.models.models import AiModel, ArenaScore, Classification
from api.services.bulk import current_rows
from api.services.records import data_version
from api.services.revisions import WriteResult, retire, write_many, write_revision

FIRST = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
SECOND = FIRST + timedelta(days=1, microseconds=1)
THIRD = SECOND + timedelta(hours=1)


def scores(count: int, bump: int = 0) -> dict[str, dict[str, Any]]:
    contents = {}
    for i in range(count):
        month = f"2031-{i % 12 + 1:02d}"
        contents[f"{month}.bulk-model-{i}"] = {
            "source_key": "lmsys-chatbot-arena",
            "source_location": f"leaderboard, {month}",
            "cited_source": None if i % 2 else "LMsys",
            "note": None if i % 3 else "a note, with a comma\tand a tab\nand a newline \\ here",
            "month": month,
            "category": "full",
            "model_key": f"bulk-model-{i % 7}",
            "score": 1000.5 + i + (bump if i % 4 == 0 else 0),
            "ci_lower": None if i % 5 else 990.25 + i,
            "ci_upper": None if i % 5 else 1020.0 + i + 10,
            "votes": None if i % 6 == 0 else i * 1000,
        }
    return contents


def models(count: int, bump: int = 0) -> dict[str, dict[str, Any]]:
    contents = {}
    for i in range(count):
        contents[f"bulk-model-{i}"] = {
            "source_key": "lmsys-chatbot-arena",
            "source_location": "created by a test",
            "cited_source": None,
            "note": None,
            "name": f"Bulk Model {i}" + (" v2" if bump and i % 3 == 0 else ""),
            "organization": None if i % 4 == 0 else "Lab Ünïcode",
            "country": None if i % 4 == 0 else ("US", "CN")[i % 2],
            "classification": (Classification.curated, Classification.unclassified)[i % 2],
            "family_rule": None,
            "leaderboard_organization": None,
            "release_date": None if i % 3 else date(2030, 1 + i % 12, 1 + i % 28),
            "open_weights": (None, True, False)[i % 3],
            "mmlu": None if i % 2 else 80.0 + i / 10,
            "gpqa": None,
            "usd_per_m_input": 0.25 * i,
            "usd_per_m_output": None,
        }
    return contents


def table_rows(session: Session, model: type[VersionFields], keys: list[str]) -> list[Any]:
    """Every revision of `keys` as stored (raw driver values, without the id)."""
    table = model.__table__  # type: ignore[attr-defined]
    names = [c.name for c in table.c if c.name != "id"]
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join(f"'{key}'" for key in keys)
    statement = f"SELECT {quoted} FROM {table.name} WHERE key IN ({marks}) ORDER BY key, revision"
    return [tuple(row) for row in session.connection().exec_driver_sql(statement)]


def change_rows(session: Session, model: type[VersionFields], since: int) -> list[Any]:
    statement = (
        "SELECT kind, key, revision, operation, changed_at, changed_by FROM changes "
        f"WHERE id > {since} AND kind = '{model.__tablename__}' ORDER BY id"
    )
    return [tuple(row) for row in session.connection().exec_driver_sql(statement)]


def three_rounds(
    session: Session,
    model: type[VersionFields],
    rounds: list[dict[str, dict[str, Any]]],
    *,
    bulk: bool,
) -> tuple[list[list[WriteResult]], list[Any], list[Any], list[bool]]:
    """Write each round (created, then revised/unchanged, then after a retirement) and
    return the results, the stored revisions, the change entries and the data versions."""
    nested = session.begin_nested()
    since = data_version(session)
    results: list[list[WriteResult]] = []
    versions = []  # did the data version move? (PostgreSQL never hands a rolled-back id out again)
    version = since
    for number, (contents, now) in enumerate(zip(rounds, (FIRST, SECOND, THIRD), strict=True)):
        if number == 2:
            retire(session, model, next(iter(contents)), changed_by="curator", now=now)
        if bulk:
            results.append(write_many(session, model, contents, changed_by="curator", now=now))
        else:
            results.append(
                [
                    write_revision(session, model, key, content, changed_by="curator", now=now)
                    for key, content in contents.items()
                ]
            )
        versions.append(data_version(session) > version)
        version = data_version(session)
    keys = sorted({key for contents in rounds for key in contents})
    stored = table_rows(session, model, keys), change_rows(session, model, since)
    nested.rollback()
    return results, stored[0], stored[1], versions


def test_bulk_arena_scores_are_the_row_by_row_rows(session: Session) -> None:
    rounds = [scores(60), scores(60, bump=3), scores(60, bump=3)]
    one_by_one = three_rounds(session, ArenaScore, rounds, bulk=False)
    bulk = three_rounds(session, ArenaScore, rounds, bulk=True)
    assert bulk == one_by_one
    results, stored, changes, versions = bulk
    assert [r.operation for r in results[0]] == [Operation.create] * 60
    revised = [r for r in results[1] if r.operation is Operation.revise]
    assert len(revised) == 15
    assert all(r.revision == 2 for r in revised)
    assert sum(r.operation is None for r in results[1]) == 45
    # The retired record comes back as a new revision; the rest are unchanged.
    assert [r.operation for r in results[2]].count(Operation.revise) == 1
    assert len(stored) == 60 + 15 + 2
    assert len(changes) == len(stored)
    assert versions == [True, True, True]


def test_bulk_catalog_models_are_the_row_by_row_rows(session: Session) -> None:
    rounds = [models(30), models(30, bump=1), models(30, bump=1)]
    assert three_rounds(session, AiModel, rounds, bulk=True) == three_rounds(
        session, AiModel, rounds, bulk=False
    )


def test_a_bulk_write_closes_the_current_revision(session: Session) -> None:
    contents = scores(3)
    write_many(session, ArenaScore, contents, changed_by="a", now=FIRST)
    changed = {key: {**content, "score": 1200.0} for key, content in contents.items()}
    results = write_many(session, ArenaScore, changed, changed_by="b", now=SECOND)
    assert [(r.revision, r.operation) for r in results] == [(2, Operation.revise)] * 3
    for key in contents:
        rows = session.connection().exec_driver_sql(
            f"SELECT revision, valid_to IS NULL, changed_by FROM arena_scores "
            f"WHERE key = '{key}' ORDER BY revision"
        )
        assert [tuple(row) for row in rows] == [(1, False, "a"), (2, True, "b")]


def test_an_empty_bulk_write_writes_nothing(session: Session) -> None:
    before = data_version(session)
    assert write_many(session, ArenaScore, {}, changed_by="a") == []
    assert data_version(session) == before


def test_current_rows_in_one_query_or_in_chunks(session: Session) -> None:
    contents = scores(40)
    write_many(session, ArenaScore, contents, changed_by="a", now=FIRST)
    changed = dict(list({k: {**c, "score": 1300.0} for k, c in contents.items()}.items())[:10])
    write_many(session, ArenaScore, changed, changed_by="b", now=SECOND)
    asked = [*contents, "2031-01.no-such-model", 'it\'s "quoted", [json]']
    table = ArenaScore.__table__  # type: ignore[attr-defined]
    for chunk in (7, 50_000):
        found = current_rows(session, table, asked, chunk=chunk)
        assert sorted(found) == sorted(contents)
        assert all(found[key]["revision"] == (2 if key in changed else 1) for key in found)
        assert all(found[key]["valid_to"] is None for key in found)
