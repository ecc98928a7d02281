"""LMArena's published leaderboards, imported as they are: one month, one category.

Two formats (shared/fixtures/lmarena/README.md):
- the leaderboard JSON, `{category: {model: {rating, rating_q025, rating_q975}}}`;
- the leaderboard CSV scraped from the public table, `model, arena_score, 95_pct_ci (+U/-L),
  votes, organization, ...`, which is always the overall (`full`) category.

Every model of the category is imported with its score and 95% interval (and votes where
given). Models are found in the registry under any spelling; a model it does not know is
created and placed by the registry's family rules or the leaderboard's organization label,
or left unclassified and reported (with `strict`, an unclassified model writes nothing).
The same snapshot twice writes nothing; a later snapshot of the same month revises the
month, and retires the scores of models the later snapshot no longer lists.
"""

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from api.errors import InvalidData
from api.models.base import MONTH_PATTERN, utcnow
from api.models.models import DERIVED_CLASSIFICATIONS, AiModel, ArenaScore, Classification
from api.services.imports import ARENA_SOURCE, ImportReport, Progress, duplicate_columns
from api.services.kinds import slug
from api.services.models import AI_MODELS, ARENA_SCORES, DEFAULT_CATEGORY
from api.services.registry import Registry, identity, load_registry, name_problem
from api.services.revisions import content_of, current_filter, get_current, retire, write_many
from api.services.validation import Invalid, Issue, check, file_error

LOCATION_PREFIX = "LMArena leaderboard"
CATEGORY_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")
_INTERVAL = re.compile(r"^\+\s*(\d+(?:\.\d+)?)\s*/\s*-\s*(\d+(?:\.\d+)?)$")
_SYMMETRIC = re.compile(r"^(?:±|\+/-)\s*(\d+(?:\.\d+)?)$")  # ±6, +/-6
# The public table's own headings ("Arena Score", "95% CI", "Rank* (UB)") read as the
# scraped CSV's names by csv_column; other scrapes' names for the same columns:
_COLUMN_ALIASES = {
    "score": "arena_score",
    "95_ci": "95_pct_ci",
    "ci": "95_pct_ci",
    "confidence_interval": "95_pct_ci",
    "provider": "organization",
}
_VOTES = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


class LeaderboardFormat(StrEnum):
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class LeaderboardRow:
    line: int  # CSV line, or the model's position in the JSON category (from 1)
    name: str
    score: float
    ci_lower: float | None
    ci_upper: float | None
    votes: int | None = None
    label: str | None = None  # the leaderboard's organization label


@dataclass(frozen=True)
class UnclassifiedModel:
    model_key: str
    name: str
    leaderboard_organization: str | None


@dataclass
class LmarenaReport(ImportReport):
    retired: int = 0
    source_location: str = ""
    unclassified: list[UnclassifiedModel] = field(default_factory=list)


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(body: bytes, category: str) -> list[LeaderboardRow]:
    """The models of one category of a leaderboard JSON; InvalidData lists every problem."""
    try:
        document = json.loads(body.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise file_error([Issue(1, "body", f"not a leaderboard JSON document: {exc}")]) from exc
    except RecursionError:  # thousands of levels deep; the CLI reads files the door never saw
        reason = "not a leaderboard JSON document: nested too deep"
        raise file_error([Issue(1, "body", reason)]) from None
    if not isinstance(document, dict):
        raise file_error(
            [Issue(1, "body", "expected an object of categories, each an object of models")]
        )
    # Other keys (a date, a note) are no category: only the one asked for must be models.
    categories = sorted(name for name, models in document.items() if isinstance(models, dict))
    if category not in categories:
        available = ", ".join(categories[:40]) or "none"
        raise file_error(
            [Issue(1, "category", f"no category {category!r} in the file; it has: {available}")]
        )
    if not document[category]:
        # An empty leaderboard is a broken download, not a month with no models: as a later
        # snapshot it would retire every score of the month.
        raise file_error([Issue(1, "category", f"category {category!r} lists no models")])
    issues: list[Issue] = []
    rows: list[LeaderboardRow] = []
    for position, (name, entry) in enumerate(document[category].items(), start=1):
        where = f"{category}.{name[:80]}"
        if not isinstance(entry, dict):
            issues.append(Issue(position, where, "expected an object with a rating"))
            continue
        score = _finite(entry.get("rating"))
        if score is None:
            issues.append(Issue(position, f"{where}.rating", "required, a finite number"))
            continue
        low, high = entry.get("rating_q025"), entry.get("rating_q975")
        bounds = (_finite(low), _finite(high))
        if (low is None) != (high is None) or (low is not None and None in bounds):
            issues.append(
                Issue(
                    position,
                    f"{where}.rating_q025",
                    "rating_q025 and rating_q975 must both be finite numbers, or both absent",
                )
            )
            continue
        rows.append(LeaderboardRow(position, name.strip(), score, bounds[0], bounds[1]))
    if issues:
        raise file_error(issues)
    return rows


CSV_REQUIRED = ("model", "arena_score")


def csv_column(heading: str) -> str:
    """A heading as the scraped CSV names it: lower case, `%` as pct, words joined by `_`
    (`95% CI` is 95_pct_ci, `Arena Score` arena_score), or the name an alias stands for."""
    words = re.findall(r"[a-z0-9]+|%", heading.lower())
    name = "_".join("pct" if word == "%" else word for word in words)
    return _COLUMN_ALIASES.get(name, name)


def parse_csv(body: bytes) -> list[LeaderboardRow]:
    """The rows of a leaderboard CSV; InvalidData lists every problem."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error([Issue(1, "body", f"not UTF-8 (byte {exc.start})")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [csv_column(heading) for heading in next(reader, [])]
    except csv.Error as exc:
        raise file_error([Issue(1, "header", str(exc))]) from exc
    problems = [Issue(1, "header", reason) for reason in duplicate_columns(header)]
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        problems.append(
            Issue(
                1,
                "header",
                f"missing column(s): {', '.join(missing)} (the table's own headings, such as "
                "Model and Arena Score, are read as these)",
            )
        )
    if problems:
        raise file_error(problems)
    issues: list[Issue] = []
    rows: list[LeaderboardRow] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                issues.append(Issue(line, "row", "more fields than the header has"))
                continue
            cells = dict(zip(header, (v.strip() for v in values), strict=False))
            row = _csv_row(line, cells, issues)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, "row", str(exc)))
    if not rows and not issues:
        issues.append(Issue(1, "body", "no data rows after the header"))
    if issues:
        raise file_error(issues)
    return rows


def _csv_row(line: int, cells: dict[str, str], issues: list[Issue]) -> LeaderboardRow | None:
    name = cells.get("model", "")
    if not name:
        issues.append(Issue(line, "model", "Field required"))
        return None
    raw_score = cells.get("arena_score", "")
    try:
        score = float(raw_score)
    except ValueError:
        issues.append(Issue(line, "arena_score", f"not a number: {raw_score[:40]!r}"))
        return None
    if not math.isfinite(score):
        issues.append(Issue(line, "arena_score", "must be finite"))
        return None
    ci_lower = ci_upper = None
    interval = cells.get("95_pct_ci", "")
    if interval:
        if (match := _INTERVAL.match(interval)) is not None:
            ci_upper, ci_lower = score + float(match[1]), score - float(match[2])
        elif (match := _SYMMETRIC.match(interval)) is not None:
            ci_upper, ci_lower = score + float(match[1]), score - float(match[1])
        else:
            reason = f"expected +U/-L or ±E, e.g. +5/-4 or ±6, not {interval[:40]!r}"
            issues.append(Issue(line, "95_pct_ci", reason))
            return None
    votes = None
    raw_votes = cells.get("votes", "")
    if raw_votes:
        if not _VOTES.match(raw_votes):
            issues.append(Issue(line, "votes", f"not a whole number: {raw_votes[:40]!r}"))
            return None
        votes = int(raw_votes.replace(",", ""))
    label = cells.get("organization") or None  # checked with the model it places
    return LeaderboardRow(line, name, score, ci_lower, ci_upper, votes, label)


def snapshot_label(body: bytes, snapshot: date | None) -> str:
    """The snapshot a file is: its date when given, else its content's digest."""
    if snapshot is not None:
        return f"snapshot {snapshot.isoformat()}"
    return f"snapshot sha256:{hashlib.sha256(body).hexdigest()[:16]}"


def score_key(month: str, category: str, model_key: str) -> str:
    if category == DEFAULT_CATEGORY:
        return f"{month}.{model_key}"  # the key Appendix B's scores already have
    return f"{month}.{category}.{model_key}"


@dataclass
class _Plan:
    """What an import will write, worked out before anything is written."""

    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    unclassified: list[UnclassifiedModel] = field(default_factory=list)


def _plan(
    session: Session,
    registry: Registry,
    rows: list[LeaderboardRow],
    *,
    month: str,
    category: str,
    location: str,
) -> _Plan:
    plan = _Plan()
    issues: list[Issue] = []
    seen: dict[str, LeaderboardRow] = {}
    for row in rows:
        if problem := name_problem(row.name):
            issues.append(Issue(row.line, "model", problem))
            continue
        spelled = identity(row.name)
        if spelled in seen:
            first = seen[spelled]
            issues.append(
                Issue(
                    row.line,
                    "model",
                    f"{row.name!r} is the same model as {first.name!r} (line {first.line}); "
                    "a leaderboard lists each model once",
                )
            )
            continue
        seen[spelled] = row
        keys = registry.find_models(row.name)
        if len(keys) > 1:
            issues.append(
                Issue(
                    row.line,
                    "model",
                    f"{row.name!r} matches several catalog models ({', '.join(sorted(keys))}); "
                    "record an alias for the right one",
                )
            )
            continue
        model_key = keys.pop() if keys else slug(row.name)
        try:
            placed = _model_content(session, registry, model_key, row, location)
        except Invalid as exc:
            issues.extend(_of_model(row, exc.issues))
            continue
        if placed is not None:
            plan.models[model_key] = placed
            if get_current(session, AiModel, model_key) is None:
                plan.created.append(model_key)
        model = placed or content_of(_current_model(session, model_key))
        if model["classification"] is Classification.unclassified:
            plan.unclassified.append(
                UnclassifiedModel(model_key, row.name, model["leaderboard_organization"])
            )
        key = score_key(month, category, model_key)
        try:
            plan.scores[key] = check(
                ARENA_SCORES,
                {
                    "key": key,
                    "month": month,
                    "category": category,
                    "model_key": model_key,
                    "score": row.score,
                    "ci_lower": row.ci_lower,
                    "ci_upper": row.ci_upper,
                    "votes": row.votes,
                    "source_key": ARENA_SOURCE,
                    "source_location": location,
                },
                line=row.line,
            )[1]
        except Invalid as exc:
            issues.extend(_of_model(row, exc.issues))
    if issues:
        raise file_error(issues)
    return plan


def _current_model(session: Session, key: str) -> AiModel:
    model = get_current(session, AiModel, key)
    assert model is not None
    return model


def _model_content(
    session: Session, registry: Registry, key: str, row: LeaderboardRow, location: str
) -> dict[str, Any] | None:
    """The catalog content to write for a row's model; None when it stays as it is."""
    existing = get_current(session, AiModel, key)
    if existing is not None and not existing.retired:
        if existing.classification not in DERIVED_CLASSIFICATIONS:
            return None  # a curated model keeps its curated place
        label = row.label or existing.leaderboard_organization
        content = content_of(existing)
        updated = {
            **content,
            "leaderboard_organization": label,
            **registry.place(existing.name, label).fields(),
        }
        if updated == content:
            return None
        return check(AI_MODELS, {**updated, "key": key}, line=row.line)[1]
    placement = registry.place(row.name, row.label)
    raw = {
        "key": key,
        "name": row.name,
        **placement.fields(),
        "leaderboard_organization": row.label,
        "source_key": ARENA_SOURCE,
        "source_location": f"created by an import: {location}",
    }
    return check(AI_MODELS, raw, line=row.line)[1]


def _of_model(row: LeaderboardRow, issues: list[Issue]) -> list[Issue]:
    """Issues named by the leaderboard's model, then the field."""
    return [replace(i, field=f"{row.name[:80]}: {i.field or 'row'}") for i in issues]


def import_lmarena(
    session: Session,
    body: bytes,
    *,
    leaderboard_format: LeaderboardFormat,
    month: str,
    actor: str,
    category: str = DEFAULT_CATEGORY,
    snapshot: date | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> LmarenaReport:
    """Import one category of a published leaderboard as `month`'s scores (flush only)."""
    if not re.match(MONTH_PATTERN, month):
        raise InvalidData(
            f"month must be YYYY-MM, not {month[:20]!r}",
            errors=[{"field": "query.month", "reason": "expected YYYY-MM"}],
        )
    _refuse_unbegun(month, snapshot, today or utcnow().date())
    if not CATEGORY_PATTERN.match(category):
        raise InvalidData(
            "category is a leaderboard category such as full, coding or chinese",
            errors=[{"field": "query.category", "reason": "lower-case letters, digits, _"}],
        )
    if leaderboard_format is LeaderboardFormat.csv and category != DEFAULT_CATEGORY:
        raise InvalidData(
            "a leaderboard CSV is the overall (full) leaderboard; import it as category full",
            errors=[{"field": "query.category", "reason": "must be full for a CSV"}],
        )
    rows = (
        parse_json(body, category)
        if leaderboard_format is LeaderboardFormat.json
        else parse_csv(body)
    )
    file_name = "JSON" if leaderboard_format is LeaderboardFormat.json else "CSV"
    location = (
        f"{LOCATION_PREFIX} {file_name}, category {category}, {snapshot_label(body, snapshot)}"
    )
    plan = _plan(
        session, load_registry(session), rows, month=month, category=category, location=location
    )
    if strict and plan.unclassified:
        raise InvalidData(
            f"{len(plan.unclassified)} model(s) the registry cannot place; nothing was written",
            errors=[
                {
                    "field": f"model {model.name}",
                    "reason": "no family rule, catalog entry or organization label places it; "
                    "add a family rule (/v1/models/families), an organization label or an "
                    "alias, or import without strict",
                }
                for model in plan.unclassified
            ],
        )
    report = LmarenaReport(
        rows=len(rows),
        source_location=location,
        unclassified=plan.unclassified,
        models_created=plan.created,
    )
    write_many(session, AiModel, plan.models, changed_by=actor)
    for result in write_many(session, ArenaScore, plan.scores, changed_by=actor):
        report.count(result.operation)
        if progress is not None and (report.created + report.revised) % 1000 == 0:
            progress(report.created + report.revised + report.unchanged)
    report.retired = _retire_dropped(session, month, category, set(plan.scores), actor)
    if progress is not None:
        progress(len(rows))
    return report


def _refuse_unbegun(month: str, snapshot: date | None, today: date) -> None:
    """A month that has not begun has no leaderboard, and a snapshot is taken in or after
    its month and not after today."""
    this_month = today.strftime("%Y-%m")
    if month > this_month:
        reason = f"{month} has not begun; the latest month to score is {this_month}"
        raise InvalidData(reason, errors=[{"field": "query.month", "reason": reason}])
    if snapshot is None:
        return
    if snapshot.strftime("%Y-%m") < month:
        reason = f"a snapshot of {snapshot.isoformat()} cannot show the scores of {month}"
    elif snapshot > today:
        reason = f"{snapshot.isoformat()} is after today ({today.isoformat()})"
    else:
        return
    raise InvalidData(reason, errors=[{"field": "query.snapshot", "reason": reason}])


def _retire_dropped(session: Session, month: str, category: str, kept: set[str], actor: str) -> int:
    """Retire this month's imported scores that the new snapshot no longer lists.

    Only scores an LMArena import wrote: hand-entered and report figures stay.
    """
    statement = select(ArenaScore.key).where(
        current_filter(ArenaScore),
        col(ArenaScore.retired).is_(False),
        col(ArenaScore.month) == month,
        col(ArenaScore.category) == category,
        col(ArenaScore.source_location).startswith(LOCATION_PREFIX),
    )
    dropped = sorted(set(session.exec(statement)) - kept)
    for key in dropped:
        retire(session, ArenaScore, key, changed_by=actor)
    return len(dropped)
