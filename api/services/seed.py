"""Load the report's figures from seeds/ as revisions.

Everything is validated before anything is written; a run writes in the caller's
transaction, so a bad file changes nothing. Loading the same files twice writes nothing;
a changed value becomes a new revision; a record removed from the files is retired.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, select

from api.models.base import PRIMARY_SOURCE, Operation
from api.services.kinds import KINDS, SeedFile
from api.services.records import RecordKind
from api.services.registry import reclassify
from api.services.revisions import current_filter, retire, write_many
from api.services.validation import Invalid, Issue, check, reference_issues

SEED_AUTHOR = "seed"
REGISTRY_AUTHOR = "registry"

# Seed fields whose name differs from the column they fill.
RENAMES = {"source": "source_key", "indicator": "indicator_key", "model": "model_key"}


class SeedError(Invalid):
    """Seed files with problems: each an Issue naming its file and line."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    revised: dict[str, int] = field(default_factory=dict)
    retired: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, operation: Operation | None) -> None:
        bucket = {
            Operation.create: self.created,
            Operation.revise: self.revised,
            Operation.retire: self.retired,
            None: self.unchanged,
        }[operation]
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def writes(self) -> int:
        return sum(self.created.values()) + sum(self.revised.values()) + sum(self.retired.values())


@dataclass
class Entry:
    file: str  # below the seed directory
    line: int
    raw: dict[str, Any]


def _renamed(raw: dict[str, Any]) -> dict[str, Any]:
    return {RENAMES.get(k, k): v for k, v in raw.items()}


# libyaml's parser when PyYAML was built with it (every wheel on PyPI is): the same
# documents, nodes and error marks, a tenth of the pure-Python parser's time.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_items(path: Path, name: str, section: str | None) -> list[tuple[int, Any]]:
    """The items of a YAML file's list (or of the list under `section`), each with the line
    it starts on."""
    loader = _SAFE_LOADER(_text(path, name))
    try:
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else 1
        raise _unreadable(name, line, f"not valid YAML: {problem}") from exc
    if section is not None:
        parts = node.value if isinstance(node, yaml.MappingNode) else []
        node = next((value for key, value in parts if key.value == section), None)
        document = document.get(section) if isinstance(document, dict) else None
    if node is None or document is None:
        return []
    if not isinstance(node, yaml.SequenceNode) or not isinstance(document, list):
        line = node.start_mark.line + 1
        raise SeedError([Issue(line, section or "", "expected a list of entries", name)])
    return [
        (item.start_mark.line + 1, value) for item, value in zip(node.value, document, strict=True)
    ]


def _text(path: Path, name: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _unreadable(name, line, f"not UTF-8 (byte {exc.start})") from exc


def _unreadable(name: str, line: int, reason: str) -> SeedError:
    """A seed file that cannot be read at all: its first problem, where it is."""
    return SeedError([Issue(line, "", reason, name)])


def _entries(seeds_dir: Path, path: Path, seeds: SeedFile) -> Iterator[Entry]:
    name = path.relative_to(seeds_dir).as_posix()
    if path.suffix == ".csv":
        reader = csv.DictReader(io.StringIO(_text(path, name), newline=""))
        try:
            for row in reader:
                cleaned = {k: (v if v != "" else None) for k, v in row.items() if k}
                yield Entry(name, reader.line_num, cleaned)
        except csv.Error as exc:  # DictReader counts a line once it has parsed it
            raise _unreadable(name, reader.reader.line_num, f"not valid CSV: {exc}") from exc
        return
    defaults = {"source": seeds.source, "source_location": f"seeds/{path.name}"}
    for line, raw in _yaml_items(path, name, seeds.section):
        content = raw if isinstance(raw, dict) else {}
        yield Entry(name, line, {**defaults, **content} if seeds.source else content)


def collect(seeds_dir: Path) -> dict[str, list[Entry]]:
    """Every seed entry by table, read but not yet validated."""
    entries: dict[str, list[Entry]] = {}
    for registered in KINDS:
        found = entries.setdefault(registered.table, [])
        if registered.seeds is not None:
            for path in sorted(seeds_dir.glob(registered.seeds.pattern)):
                found.extend(_entries(seeds_dir, path, registered.seeds))
    return entries


def validate(entries: dict[str, list[Entry]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Validated content by table and key; raises SeedError listing every problem."""
    issues: list[Issue] = []
    valid: dict[str, dict[str, dict[str, Any]]] = {}
    where: dict[tuple[str, str], Entry] = {}
    for registered in KINDS:
        table, kind = registered.table, registered.kind
        valid[table] = {}
        for entry in entries.get(table, []):
            raw = _renamed(entry.raw)
            assert kind.create is not None
            if "source_key" in kind.create.model_fields:
                raw.setdefault("source_key", PRIMARY_SOURCE)
            try:
                key, content = check(kind, raw, line=entry.line, file=entry.file)
            except Invalid as exc:
                issues.extend(exc.issues)
                continue
            if key in valid[table]:
                issues.append(Issue(entry.line, "key", f"duplicate key {key!r}", entry.file))
                continue
            valid[table][key] = content
            where[table, key] = entry
    issues.extend(_reference_issues(valid, where))
    if issues:
        raise SeedError(issues)
    return valid


def _reference_issues(
    valid: dict[str, dict[str, dict[str, Any]]], where: dict[tuple[str, str], Entry]
) -> list[Issue]:
    """References among the seeds: a seed names a record the seeds hold."""

    def seeded(target: RecordKind, key: str) -> bool:
        return key in valid[str(target.model.__tablename__)]

    issues = []
    for registered in KINDS:
        for key, content in valid[registered.table].items():
            entry = where[registered.table, key]
            issues.extend(
                reference_issues(registered.kind, content, seeded, line=entry.line, file=entry.file)
            )
    return issues


def load(session: Session, seeds_dir: Path) -> SeedReport:
    """Validate every seed file, then write the differences as revisions (flush only)."""
    valid = validate(collect(seeds_dir))
    report = SeedReport()
    for registered in KINDS:
        table, model = registered.table, registered.kind.model
        for result in write_many(session, model, valid[table], changed_by=SEED_AUTHOR):
            report.count(table, result.operation)
        seeded_now = set(valid[table])
        statement = select(model.key).where(
            current_filter(model),
            col(model.changed_by) == SEED_AUTHOR,
            col(model.retired).is_(False),
        )
        for stale in sorted(set(session.exec(statement)) - seeded_now):
            outcome = retire(session, model, stale, changed_by=SEED_AUTHOR)
            if outcome is not None:
                report.count(table, outcome.operation)
    # Not SEED_AUTHOR: the models it revises are not seed records, and must not be retired
    # by the next seed run as if they had been removed from the files.
    reclassified = reclassify(session, REGISTRY_AUTHOR)
    if reclassified:
        report.revised["ai_models"] = report.revised.get("ai_models", 0) + reclassified
    return report
