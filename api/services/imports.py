"""Bulk imports from CSV: every row validated first, then all written or none.

A file with any bad row writes nothing and gets back each bad row's line, field and reason.
A good file is written in the caller's transaction; rows identical to the current revision
write nothing, so importing the same file twice is a no-op.
"""

import csv
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from api.errors import InvalidData
from api.models.base import MONTH_PATTERN, PRIMARY_SOURCE, Operation
from api.models.models import DERIVED_CLASSIFICATIONS, AiModel, ArenaScore, Classification
from api.models.registry import iso_country
from api.services.funding import FUNDING_RECORDS
from api.services.indicators import OBSERVATIONS
from api.services.models import AI_MODELS, ARENA_SCORES
from api.services.records import RecordKind
from api.services.registry import identity, load_registry
from api.services.revisions import content_of, get_current, write_many
from api.services.writes import REFERENCES

csv.field_size_limit(1_000_000)  # one field may be long (a note); a 10 MB line is not

ARENA_COLUMNS = ("month", "model", "organization", "country", "score")
ARENA_EXTRAS = ("ci_lower", "ci_upper", "votes", "source", "source_location", "note")
Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowIssue:
    line: int
    field: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    models_created: list[str] = field(default_factory=list)

    def count(self, operation: Operation | None) -> None:
        if operation is Operation.create:
            self.created += 1
        elif operation is Operation.revise:
            self.revised += 1
        else:
            self.unchanged += 1


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def slug(name: str) -> str:
    """A model's key from its leaderboard name: `GPT-4o (2024-05-13)` -> `gpt-4o-2024-05-13`."""
    lowered = re.sub(r"[^a-z0-9.\-]+", "-", name.strip().lower())
    return re.sub(r"-{2,}", "-", lowered).strip("-.") or "model"


def read_rows(body: bytes, required: tuple[str, ...]) -> list[Row]:
    """Rows of a UTF-8 CSV with a header; InvalidData for an unreadable file."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(1, "body", f"not UTF-8 (byte {exc.start})") from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise file_error(line, "body", "contains a NUL byte")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise file_error(1, "header", str(exc)) from exc
    problems = [RowIssue(1, "header", reason) for reason in duplicate_columns(header)]
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(
            RowIssue(
                1,
                "header",
                f"missing column(s): {', '.join(missing)}; required: {', '.join(required)}",
            )
        )
    if problems:
        raise rows_error(problems)
    rows = []
    try:
        for values in reader:
            if None in values:
                raise file_error(reader.line_num, "row", "more fields than the header has")
            cleaned = {k.strip(): (v or "").strip() for k, v in values.items() if k}
            rows.append(Row(reader.line_num, cleaned))
    except csv.Error as exc:
        raise file_error(reader.line_num, "row", str(exc)) from exc
    if not rows:
        raise file_error(1, "body", "no data rows after the header")
    return rows


def duplicate_columns(header: list[str]) -> list[str]:
    """A reason for each column named twice: which value would count is anyone's guess."""
    seen: set[str] = set()
    reasons = []
    for name in header:
        if name in seen and name:
            reasons.append(f"column {name!r} appears more than once")
        seen.add(name)
    return reasons


def file_error(line: int, field_name: str, reason: str) -> InvalidData:
    return rows_error([RowIssue(line, field_name, reason)])


def rows_error(issues: list[RowIssue]) -> InvalidData:
    shown = issues[:1000]
    return InvalidData(
        f"{len(issues)} problem(s) in the file; nothing was written",
        errors=[
            {"field": f"line {i.line}: {i.field}", "reason": i.reason, "line": i.line}
            for i in shown
        ],
        problem_count=len(issues),
    )


def _number(
    issues: list[RowIssue], row: Row, name: str, *, integer: bool = False, required: bool = True
) -> float | None:
    raw = row.values.get(name, "")
    if raw == "":
        if required:
            issues.append(RowIssue(row.line, name, "required"))
        return None
    try:
        value = float(raw) if not integer else int(raw)
    except ValueError:
        issues.append(RowIssue(row.line, name, f"not a number: {raw[:40]!r}"))
        return None
    if not math.isfinite(value):
        issues.append(RowIssue(row.line, name, "must be finite"))
        return None
    return value


def import_arena(
    session: Session,
    body: bytes,
    *,
    actor: str,
    default_source: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Arena scores from a curator's CSV: each row names the model's organization and country.

    Models are found in the registry under any spelling (case, separators, date format);
    a model new to the catalog is created as curated with the file's organization and
    country, and a model the registry had only derived is curated by the file.
    """
    rows = read_rows(body, ARENA_COLUMNS)
    registry = load_registry(session)
    issues: list[RowIssue] = []
    models: dict[str, tuple[Row, dict[str, Any]]] = {}
    scores: dict[str, dict[str, Any]] = {}
    sources_seen: dict[str, bool] = {}
    for row in rows:
        values = row.values
        month, name = values["month"], values["model"]
        if not re.match(MONTH_PATTERN, month):
            issues.append(RowIssue(row.line, "month", f"not a month YYYY-MM: {month[:20]!r}"))
        if not identity(name) or len(name) > 200:
            issues.append(RowIssue(row.line, "model", "required, at most 200 characters"))
            continue
        organization, country = values["organization"], values["country"]
        if not organization or len(organization) > 200:
            issues.append(RowIssue(row.line, "organization", "required, at most 200 characters"))
        try:
            iso_country(country)
        except ValueError as exc:
            issues.append(RowIssue(row.line, "country", str(exc)))
        lab = registry.lab_for_label(organization)
        if lab is not None and country and lab.country != country:
            issues.append(
                RowIssue(
                    row.line,
                    "country",
                    f"{organization} is registered as based in {lab.country}, not {country}; "
                    "correct the organization through /v1/models/organizations first",
                )
            )
        source = values.get("source") or default_source
        if source not in sources_seen:
            sources_seen[source] = _exists(session, "source_key", source)
        if not sources_seen[source]:
            issues.append(RowIssue(row.line, "source", f"no source with key {source!r}"))
        keys = registry.find_models(name)
        if len(keys) > 1:
            issues.append(
                RowIssue(
                    row.line,
                    "model",
                    f"{name!r} matches several catalog models ({', '.join(sorted(keys))}); "
                    "record an alias for the right one",
                )
            )
            continue
        key = keys.pop() if keys else slug(name)
        placed = {"name": name, "organization": organization, "country": country}
        if key in models:
            first, earlier = models[key]
            if (earlier["organization"].casefold(), earlier["country"]) != (
                organization.casefold(),
                country,
            ):
                issues.append(
                    RowIssue(
                        row.line,
                        "organization",
                        f"{name!r} is the model of line {first.line}, given there as "
                        f"{earlier['organization']} ({earlier['country']})",
                    )
                )
        else:
            models[key] = (row, placed)
        score_key = f"{month}.{key}"
        if score_key in scores:
            issues.append(RowIssue(row.line, "model", f"a second score for {name!r} in {month}"))
            continue
        known_issues = len(issues)
        numbers = {
            "score": _number(issues, row, "score"),
            "ci_lower": _number(issues, row, "ci_lower", required=False),
            "ci_upper": _number(issues, row, "ci_upper", required=False),
            "votes": _number(issues, row, "votes", integer=True, required=False),
        }
        if len(issues) > known_issues:
            continue  # the numbers are already reported; validating them again says it twice
        try:
            scores[score_key] = _validated(
                ARENA_SCORES,
                score_key,
                {
                    "month": month,
                    "model_key": key,
                    **numbers,
                    "source_key": source,
                    "source_location": values.get("source_location") or f"leaderboard, {month}",
                    "cited_source": None,
                    "note": values.get("note") or None,
                },
            )
        except ValidationError as exc:
            issues.extend(_validation_issues(row, exc))
    issues.extend(_model_conflicts(session, models))
    if issues:
        raise rows_error(sorted(set(issues), key=lambda i: (i.line, i.field)))
    report = ImportReport(rows=len(rows))
    catalog: dict[str, dict[str, Any]] = {}
    for key, (_, model) in models.items():
        existing = get_current(session, AiModel, key)
        if existing is not None and not existing.retired:
            if existing.classification not in DERIVED_CLASSIFICATIONS:
                continue
            content = {**content_of(existing), **_curated(model, existing.name)}
        else:
            content = _validated(
                AI_MODELS,
                key,
                {
                    **model,
                    "classification": Classification.curated,
                    "source_key": default_source,
                    "source_location": "created by an Arena import",
                },
            )
            report.models_created.append(key)
        catalog[key] = content
    write_many(session, AiModel, catalog, changed_by=actor)
    for result in write_many(session, ArenaScore, scores, changed_by=actor):
        report.count(result.operation)
    if progress is not None:
        progress(len(scores))
    return report


def _curated(model: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "name": name,
        "organization": model["organization"],
        "country": model["country"],
        "classification": Classification.curated,
        "family_rule": None,
    }


def _validation_issues(row: Row, exc: ValidationError) -> list[RowIssue]:
    return [
        RowIssue(row.line, ".".join(str(p) for p in error["loc"]) or "row", error["msg"])
        for error in exc.errors()
    ]


def _model_conflicts(
    session: Session, models: dict[str, tuple[Row, dict[str, Any]]]
) -> Iterator[RowIssue]:
    for key, (row, model) in models.items():
        existing = get_current(session, AiModel, key)
        if existing is None or existing.retired:
            continue
        if existing.classification in DERIVED_CLASSIFICATIONS:
            continue  # the registry only derived its place; the file's curator decides
        registered = ((existing.organization or "").casefold(), existing.country)
        if registered != (model["organization"].casefold(), model["country"]):
            yield RowIssue(
                row.line,
                "organization",
                f"model {key!r} is registered as {existing.organization} ({existing.country}); "
                "correct the model through /v1/models/catalog first",
            )


def _exists(session: Session, column: str, key: str) -> bool:
    record = get_current(session, REFERENCES[column], key)
    return record is not None and not record.retired


def _validated(kind: RecordKind, key: str, content: dict[str, Any]) -> dict[str, Any]:
    return kind.content({**content, "key": key})[1]


# --- observations and funding records: rows are the record's own fields -----------------


def import_records(
    session: Session,
    kind: RecordKind,
    body: bytes,
    *,
    actor: str,
    required: tuple[str, ...],
    key_for: Callable[[dict[str, str]], str],
    progress: Progress | None = None,
) -> ImportReport:
    assert kind.create is not None
    rows = read_rows(body, required)
    known = set(kind.create.model_fields)
    issues: list[RowIssue] = []
    valid: dict[str, dict[str, Any]] = {}
    for row in rows:
        raw: dict[str, Any] = {
            k: (v if v != "" else None) for k, v in row.values.items() if k in known
        }
        raw.setdefault("source_key", PRIMARY_SOURCE)
        raw["key"] = row.values.get("key") or key_for(row.values)
        try:
            content = _validated(kind, raw["key"], raw)
        except ValidationError as exc:
            for error in exc.errors():
                name = ".".join(str(p) for p in error["loc"]) or "row"
                issues.append(RowIssue(row.line, name, error["msg"]))
            continue
        except (ValueError, KeyError) as exc:
            issues.append(RowIssue(row.line, "row", str(exc)))
            continue
        for column in REFERENCES:
            target = content.get(column)
            if target is not None and target not in valid and not _exists(session, column, target):
                issues.append(RowIssue(row.line, column, f"no record with key {target!r}"))
        if raw["key"] in valid:
            issues.append(RowIssue(row.line, "key", f"a second row for {raw['key']!r}"))
        valid[raw["key"]] = content
    if issues:
        raise rows_error(issues)
    report = ImportReport(rows=len(rows))
    for result in write_many(session, kind.model, valid, changed_by=actor):
        report.count(result.operation)
    if progress is not None:
        progress(len(rows))
    return report


def observation_key(values: dict[str, str]) -> str:
    period = (values.get("period") or "undated").replace("/", "-")
    return slug(f"{values.get('indicator_key', '')}-{values.get('country', '')}-{period}")


def funding_key(values: dict[str, str]) -> str:
    return slug(
        f"{values.get('country', '')}-{values.get('program', '')}-"
        f"{values.get('period_start') or 'undated'}"
    )


def import_observations(
    session: Session, body: bytes, *, actor: str, progress: Progress | None = None
) -> ImportReport:
    return import_records(
        session,
        OBSERVATIONS,
        body,
        actor=actor,
        progress=progress,
        key_for=observation_key,
        required=("indicator_key", "country", "period", "value", "source_location"),
    )


def import_funding(
    session: Session, body: bytes, *, actor: str, progress: Progress | None = None
) -> ImportReport:
    return import_records(
        session,
        FUNDING_RECORDS,
        body,
        actor=actor,
        progress=progress,
        key_for=funding_key,
        required=("program", "country", "level", "amount", "currency", "status", "source_location"),
    )
