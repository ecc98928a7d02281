"""Bulk imports from CSV: every row validated first, then all written or none.

A file with any bad row writes nothing and gets back each bad row's line, field and reason.
A good file is written in the caller's transaction; rows identical to the current revision
write nothing, so importing the same file twice is a no-op.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session

from api.errors import InvalidData
from api.models.base import PRIMARY_SOURCE, Operation
from api.models.models import DERIVED_CLASSIFICATIONS, AiModel, ArenaScore, Classification
from api.models.registry import iso_country
from api.services.bulk import gc_paused
from api.services.funding import FUNDING_RECORDS
from api.services.indicators import OBSERVATIONS
from api.services.kinds import CsvColumns, registered, slug
from api.services.models import AI_MODELS, ARENA_SCORES
from api.services.records import RecordKind
from api.services.registry import Registry, load_registry, name_problem
from api.services.revisions import content_of, get_current, get_current_many, write_many
from api.services.spelling import UnkeyableName
from api.services.validation import Invalid, Issue, check, file_error, reference_issues

csv.field_size_limit(1_000_000)  # one field may be long (a note); a 10 MB line is not

ARENA_SOURCE = "lmsys-chatbot-arena"
ARENA_COLUMNS = CsvColumns(
    required=("month", "model", "organization", "country", "score"),
    optional=("ci_lower", "ci_upper", "votes", "source", "source_location", "note"),
    notes={"source": f"a source key; default {ARENA_SOURCE}"},
)
# Fields of the records an Arena row makes, and the column each comes from.
ARENA_FIELD_COLUMNS = {"name": "model", "model_key": "model", "source_key": "source"}
Progress = Callable[[int], None]


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


def read_rows(body: bytes, required: tuple[str, ...]) -> list[Row]:
    """Rows of a UTF-8 CSV with a header; InvalidData for an unreadable file."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise one_problem(1, "body", f"not UTF-8 (byte {exc.start})") from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise one_problem(line, "body", "contains a NUL byte")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise one_problem(1, "header", str(exc)) from exc
    problems = [Issue(1, "header", reason) for reason in duplicate_columns(header)]
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(
            Issue(
                1,
                "header",
                f"missing column(s): {', '.join(missing)}; required: {', '.join(required)}",
            )
        )
    if problems:
        raise file_error(problems)
    # As csv.DictReader reads them, without its dict per row: blank lines skipped, a short
    # row's missing fields empty, a column named twice taking its last value.
    named = [(index, name) for index, name in enumerate(header) if name]
    width = len(header)
    rows = []
    try:
        for values in reader:
            if not values:
                continue
            if len(values) > width:
                raise one_problem(reader.line_num, "row", "more fields than the header has")
            cleaned = {
                name: values[index].strip() if index < len(values) else "" for index, name in named
            }
            rows.append(Row(reader.line_num, cleaned))
    except csv.Error as exc:
        raise one_problem(reader.line_num, "row", str(exc)) from exc
    if not rows:
        raise one_problem(1, "body", "no data rows after the header")
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


def one_problem(line: int, field_name: str, reason: str) -> InvalidData:
    return file_error([Issue(line, field_name, reason)])


class Existing:
    """Whether a record exists, current and not retired, each key asked once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[tuple[str, str], bool] = {}

    def __call__(self, kind: RecordKind, key: str) -> bool:
        asked = (str(kind.model.__tablename__), key)
        if asked not in self.known:
            record = get_current(self.session, kind.model, key)
            self.known[asked] = record is not None and not record.retired
        return self.known[asked]


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
    rows = read_rows(body, ARENA_COLUMNS.required)
    arena = _ArenaFile(load_registry(session), Existing(session), default_source)
    with gc_paused():  # else the collector walks every row built so far, again and again
        for row in rows:
            arena.add(row)
    in_catalog = get_current_many(session, AiModel, arena.models)
    issues = arena.issues + list(_model_conflicts(in_catalog, arena.models))
    if issues:
        raise file_error(sorted(set(issues), key=lambda i: (i.line or 0, i.field)))
    report = ImportReport(rows=len(rows))
    catalog: dict[str, dict[str, Any]] = {}
    for key, (_, model) in arena.models.items():
        existing = in_catalog.get(key)
        if existing is not None and not existing.retired:
            if existing.classification not in DERIVED_CLASSIFICATIONS:
                continue
            content = {**content_of(existing), **_curated(model, existing.name)}
        else:
            content = model
            report.models_created.append(key)
        catalog[key] = content
    write_many(session, AiModel, catalog, changed_by=actor)
    for result in write_many(session, ArenaScore, arena.scores, changed_by=actor):
        report.count(result.operation)
    if progress is not None:
        progress(len(arena.scores))
    return report


class _ArenaFile:
    """The rows of an Arena file, each checked as the model it places and the score it gives."""

    def __init__(self, registry: Registry, existing: Existing, default_source: str) -> None:
        self.registry = registry
        self.existing = existing
        self.default_source = default_source
        self.issues: list[Issue] = []
        self.models: dict[str, tuple[Row, dict[str, Any]]] = {}
        self.placed: set[tuple[str, str, str]] = set()  # (model, organization, country)
        self.scores: dict[str, dict[str, Any]] = {}

    def add(self, row: Row) -> None:
        values, line = row.values, row.line
        name, organization, country = values["model"], values["organization"], values["country"]
        if problem := name_problem(name):
            self.issues.append(Issue(line, "model", problem))
            return
        keys = self.registry.find_models(name)
        if len(keys) > 1:
            self.issues.append(
                Issue(
                    line,
                    "model",
                    f"{name!r} matches several catalog models ({', '.join(sorted(keys))}); "
                    "record an alias for the right one",
                )
            )
            return
        key = keys.pop() if keys else slug(name)
        self._place(row, key, name, organization, country)
        month = values["month"]
        score_key = f"{month}.{key}"
        if score_key in self.scores:
            self.issues.append(Issue(line, "model", f"a second score for {name!r} in {month}"))
            return
        raw = {
            "key": score_key,
            "month": month,
            "model_key": key,
            **{n: values.get(n) or None for n in ("score", "ci_lower", "ci_upper", "votes")},
            "source_key": values.get("source") or self.default_source,
            "source_location": values.get("source_location") or f"leaderboard, {month}",
            "cited_source": None,
            "note": values.get("note") or None,
        }
        try:
            _, score = check(ARENA_SCORES, raw, line=line)
        except Invalid as exc:
            self.issues.extend(_in_columns(exc.issues))
            return
        references = reference_issues(ARENA_SCORES, score, self._exists, line=line)
        self.issues.extend(_in_columns(references))
        self.scores[score_key] = score

    def _exists(self, kind: RecordKind, key: str) -> bool:
        """The file's own models exist: they are created with its scores."""
        return kind is AI_MODELS or self.existing(kind, key)

    def _place(self, row: Row, key: str, name: str, organization: str, country: str) -> None:
        """Check where the row places its model: a real country, the lab's own, and the
        same place as the file's other rows of that model."""
        if (key, organization, country) in self.placed:
            return  # the same as an earlier row that passed every check below
        line = row.line
        placing = len(self.issues)
        if not organization:
            self.issues.append(Issue(line, "organization", "required"))
        try:
            iso_country(country)
        except ValueError as exc:
            self.issues.append(Issue(line, "country", str(exc)))
        lab = self.registry.lab_for_label(organization)
        if lab is not None and country and lab.country != country:
            self.issues.append(
                Issue(
                    line,
                    "country",
                    f"{organization} is registered as based in {lab.country}, not {country}; "
                    "correct the organization through /v1/models/organizations first",
                )
            )
        if key in self.models:
            first, earlier = self.models[key]
            if (earlier["organization"].casefold(), earlier["country"]) != (
                organization.casefold(),
                country,
            ):
                self.issues.append(
                    Issue(
                        line,
                        "organization",
                        f"{name!r} is the model of line {first.line}, given there as "
                        f"{earlier['organization']} ({earlier['country']})",
                    )
                )
            return
        if len(self.issues) > placing:
            return
        raw = {
            "key": key,
            "name": name,
            "organization": organization,
            "country": country,
            "classification": Classification.curated,
            "source_key": self.default_source,
            "source_location": "created by an Arena import",
        }
        try:
            self.models[key] = (row, check(AI_MODELS, raw, line=line)[1])
        except Invalid as exc:
            self.issues.extend(_in_columns(exc.issues))
            return
        self.placed.add((key, organization, country))


def _in_columns(issues: list[Issue]) -> list[Issue]:
    """Issues named by the file's columns, not by the fields the columns fill."""
    return [replace(i, field=ARENA_FIELD_COLUMNS.get(i.field, i.field)) for i in issues]


def _curated(model: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "name": name,
        "organization": model["organization"],
        "country": model["country"],
        "classification": Classification.curated,
        "family_rule": None,
    }


def _model_conflicts(
    in_catalog: dict[str, AiModel], models: dict[str, tuple[Row, dict[str, Any]]]
) -> Iterator[Issue]:
    for key, (row, model) in models.items():
        existing = in_catalog.get(key)
        if existing is None or existing.retired:
            continue
        if existing.classification in DERIVED_CLASSIFICATIONS:
            continue  # the registry only derived its place; the file's curator decides
        registered_as = ((existing.organization or "").casefold(), existing.country)
        if registered_as != (model["organization"].casefold(), model["country"]):
            yield Issue(
                row.line,
                "organization",
                f"model {key!r} is registered as {existing.organization} ({existing.country}); "
                "correct the model through /v1/models/catalog first",
            )


# --- observations and funding records: rows are the record's own fields -----------------


def import_records(
    session: Session,
    kind: RecordKind,
    body: bytes,
    *,
    actor: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Rows of a kind registered with a CSV import (api/services/kinds.py), checked like
    any other write of the kind, references included; a row may name another row's key."""
    spec = registered(kind).csv_import
    assert kind.create is not None
    assert spec is not None
    rows = read_rows(body, spec.columns.required)
    known = set(kind.create.model_fields)
    issues: list[Issue] = []
    valid: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for row in rows:
        raw: dict[str, Any] = {
            k: (v if v != "" else None) for k, v in row.values.items() if k in known
        }
        raw.setdefault("source_key", PRIMARY_SOURCE)
        try:
            raw["key"] = row.values.get("key") or spec.key_for(row.values)
        except UnkeyableName as exc:
            issues.append(Issue(row.line, "key", str(exc)))
            continue
        try:
            key, content = check(kind, raw, line=row.line)
        except Invalid as exc:
            issues.extend(exc.issues)
            continue
        if key in valid:
            issues.append(Issue(row.line, "key", f"a second row for {key!r}"))
            continue
        valid[key], lines[key] = content, row.line
    existing = Existing(session)

    def in_file(target: RecordKind, key: str) -> bool:
        return (target.model is kind.model and key in valid) or existing(target, key)

    for key, content in valid.items():
        issues.extend(reference_issues(kind, content, in_file, line=lines[key]))
    if issues:
        raise file_error(sorted(issues, key=lambda i: (i.line or 0, i.field)))
    report = ImportReport(rows=len(rows))
    for result in write_many(session, kind.model, valid, changed_by=actor):
        report.count(result.operation)
    if progress is not None:
        progress(len(rows))
    return report


def import_observations(
    session: Session, body: bytes, *, actor: str, progress: Progress | None = None
) -> ImportReport:
    return import_records(session, OBSERVATIONS, body, actor=actor, progress=progress)


def import_funding(
    session: Session, body: bytes, *, actor: str, progress: Progress | None = None
) -> ImportReport:
    return import_records(session, FUNDING_RECORDS, body, actor=actor, progress=progress)
