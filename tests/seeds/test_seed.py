"""The seed loader: idempotent, append-only, all-or-nothing."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from api import SEEDS_DIR
from api.models import ArenaScore, Change, FundingRecord, Observation
from api.services.kinds import BY_TABLE, KINDS
from api.services.revisions import get_current, list_revisions
from api.services.seed import SeedError, load


def _row_counts(session: Session) -> dict[str, int]:
    counts = {}
    for registered in KINDS:
        model: type[SQLModel] = registered.kind.model
        counts[registered.table] = session.exec(select(func.count()).select_from(model)).one()
    counts["changes"] = session.exec(select(func.count()).select_from(Change)).one()
    return counts


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def test_seeding_twice_changes_nothing(session: Session) -> None:
    before = _row_counts(session)
    report = load(session, SEEDS_DIR)
    assert report.writes == 0
    assert sum(report.unchanged.values()) == sum(before[r.table] for r in KINDS)
    assert _row_counts(session) == before


def test_changed_value_is_a_new_revision_and_the_old_stays(
    session: Session, seeds_copy: Path
) -> None:
    scores = seeds_copy / "arena_scores.csv"
    text = scores.read_text(encoding="utf-8")
    old_line = "2024-05.yi-large-preview,2024-05,yi-large-preview,1238,"
    assert old_line in text
    scores.write_text(text.replace(old_line, old_line.replace("1238", "1241")), encoding="utf-8")
    before = get_current(session, ArenaScore, "2024-05.yi-large-preview")
    assert before is not None

    report = load(session, seeds_copy)

    assert report.revised == {"arena_scores": 1}
    assert report.writes == 1
    revisions = list_revisions(session, ArenaScore, "2024-05.yi-large-preview")
    assert [(r.revision, r.score) for r in revisions] == [(1, 1238), (2, 1241)]
    assert revisions[0].valid_to == revisions[1].valid_from
    as_of_before = revisions[1].valid_from - timedelta(microseconds=1)
    old = get_current(session, ArenaScore, "2024-05.yi-large-preview", as_of=as_of_before)
    assert old is not None
    assert old.score == 1238
    change = session.exec(select(Change).order_by(col(Change.id).desc())).first()
    assert change is not None
    assert (change.kind, change.key, change.revision, change.operation) == (
        "arena_scores",
        "2024-05.yi-large-preview",
        2,
        "revise",
    )


def test_record_removed_from_files_is_retired_not_deleted(
    session: Session, seeds_copy: Path
) -> None:
    path = seeds_copy / "edwc_clusters.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("wuhu,")), "utf-8")

    report = load(session, seeds_copy)

    assert report.retired == {"edwc_clusters": 1}
    revisions = list_revisions(session, BY_TABLE["edwc_clusters"].kind.model, "wuhu")
    assert [(r.revision, r.retired) for r in revisions] == [(1, False), (2, True)]


def test_bad_file_changes_nothing_and_names_each_problem(
    session: Session, seeds_copy: Path
) -> None:
    scores = seeds_copy / "arena_scores.csv"
    text = scores.read_text(encoding="utf-8")
    text = text.replace("2024-05.yi-large-preview,2024-05,yi-large-preview,1238,", "x,2024-13,y,z,")
    scores.write_text(text, encoding="utf-8")
    funding = seeds_copy / "funding.yaml"
    funding.write_text(
        funding.read_text(encoding="utf-8").replace("amount: 8200000000", "amount: -1", 1),
        encoding="utf-8",
    )
    before = _row_counts(session)

    with pytest.raises(SeedError) as raised:
        load(session, seeds_copy)

    problems = {(i.file, i.field) for i in raised.value.issues}
    assert ("arena_scores.csv", "month") in problems
    assert ("arena_scores.csv", "score") in problems
    assert ("funding.yaml", "amount") in problems
    bad_line = next(i for i in raised.value.issues if i.field == "month")
    assert bad_line.line == 11  # header is line 1; 2024-05 China is on line 11
    bad_amount = next(i for i in raised.value.issues if i.field == "amount")
    assert bad_amount.line == 5  # a YAML entry's line is where it starts: `- key: ...`
    assert str(bad_amount).startswith("funding.yaml line 5: amount: ")
    assert _row_counts(session) == before


@pytest.mark.parametrize(
    ("name", "tail", "reason"),
    [
        ("timeline.yaml", b"\n  - key: [unclosed\n", "not valid YAML"),
        ("timeline.yaml", b"\n# \xff\n", "not UTF-8"),
        ("data_centers.csv", b"x,\xfe\xff\n", "not UTF-8"),
        ("data_centers.csv", b"x," + b"a" * 2_000_000 + b"\n", "field larger than field limit"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_at_its_line(
    session: Session, seeds_copy: Path, name: str, tail: bytes, reason: str
) -> None:
    """A curator's typo in a seed file is a problem report, not a traceback."""
    path = seeds_copy / name
    lines = path.read_bytes().count(b"\n")
    path.write_bytes(path.read_bytes() + tail)
    before = _row_counts(session)
    with pytest.raises(SeedError) as raised:
        load(session, seeds_copy)
    [issue] = raised.value.issues
    assert (issue.file, issue.field) == (name, "")
    assert reason in issue.reason
    assert issue.line is not None
    assert lines < issue.line <= lines + 2, issue
    assert _row_counts(session) == before


def test_unknown_reference_is_reported(session: Session, seeds_copy: Path) -> None:
    scores = seeds_copy / "arena_scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8") + "2025-04.mystery,2025-04,mystery,1400,Appendix B,,\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as raised:
        load(session, seeds_copy)
    assert [(i.field, i.reason) for i in raised.value.issues] == [
        ("model_key", "no ai model with key 'mystery'")
    ]


def test_money_and_qualifiers_are_kept_as_data(session: Session) -> None:
    big_fund = get_current(session, FundingRecord, "cn-big-fund-phase-3")
    assert big_fund is not None
    assert (big_fund.currency, big_fund.amount, big_fund.amount_usd) == ("CNY", 344e9, 47e9)
    assert big_fund.usd_converted is False
    bachelors_us = get_current(session, Observation, "stem-degrees-bachelors-us-2019")
    assert bachelors_us is not None
    assert (bachelors_us.value, bachelors_us.qualifier) == (400_000, "more_than")
    masters_us = get_current(session, Observation, "stem-degrees-masters-us-2019")
    assert masters_us is not None
    assert (masters_us.value, masters_us.qualifier) == (150_000, "about")
