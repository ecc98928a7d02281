"""Load the report's figures from seeds/ as revisions.

Everything is validated before anything is written; a run writes in the caller's
transaction, so a bad file changes nothing. Loading the same files twice writes nothing;
a changed value becomes a new revision; a record removed from the files is retired.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.models.base import PRIMARY_SOURCE, Operation
from api.services.assessments import ASSESSMENTS
from api.services.compute import DATA_CENTERS, EDWC_CLUSTERS
from api.services.funding import FUNDING_RECORDS
from api.services.indicators import INDICATORS, OBSERVATIONS
from api.services.models import AI_MODELS, ARENA_SCORES
from api.services.records import RecordKind
from api.services.registry import MODEL_ALIASES, MODEL_FAMILIES, ORGANIZATIONS, reclassify
from api.services.regulation import REGULATION_EVENTS
from api.services.revisions import current_filter, retire, write_many
from api.services.sources import SOURCES
from api.services.talent import NEURIPS_INSTITUTIONS
from api.services.timeline import TIMELINE_EVENTS

SEED_AUTHOR = "seed"
REGISTRY_SOURCE = "aigap-registry"
REGISTRY_AUTHOR = "registry"

# Seed fields whose name differs from the column they fill.
RENAMES = {"source": "source_key", "indicator": "indicator_key", "model": "model_key"}


@dataclass(frozen=True)
class SeedIssue:
    file: str
    entry: str  # "line 12" for CSV, "entry 3 (key)" for YAML
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} {self.entry}: {self.field}: {self.reason}"


class SeedError(Exception):
    def __init__(self, issues: list[SeedIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


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
    file: str
    where: str
    raw: dict[str, Any]


def _renamed(raw: dict[str, Any]) -> dict[str, Any]:
    return {RENAMES.get(k, k): v for k, v in raw.items()}


KINDS: dict[str, RecordKind] = {
    "sources": SOURCES,
    "indicators": INDICATORS,
    "observations": OBSERVATIONS,
    "funding_records": FUNDING_RECORDS,
    "regulation_events": REGULATION_EVENTS,
    "assessments": ASSESSMENTS,
    "organizations": ORGANIZATIONS,
    "model_families": MODEL_FAMILIES,
    "ai_models": AI_MODELS,
    "model_aliases": MODEL_ALIASES,
    "arena_scores": ARENA_SCORES,
    "neurips_institutions": NEURIPS_INSTITUTIONS,
    "data_centers": DATA_CENTERS,
    "edwc_clusters": EDWC_CLUSTERS,
    "timeline_events": TIMELINE_EVENTS,
}

# Load order: what is referenced comes first.
ORDER = list(KINDS)

# Provenance shared by every entry of a file, unless the entry gives its own.
FILE_DEFAULTS: dict[str, dict[str, str]] = {
    name: {"source": REGISTRY_SOURCE, "source_location": f"seeds/{name}"}
    for name in ("organizations.yaml", "model_families.yaml", "model_aliases.yaml")
}


def _yaml_entries(path: Path, items: Iterable[Any]) -> Iterator[Entry]:
    for index, raw in enumerate(items, start=1):
        label = raw.get("key", "?") if isinstance(raw, dict) else "?"
        content = {**FILE_DEFAULTS.get(path.name, {}), **raw} if isinstance(raw, dict) else {}
        yield Entry(path.name, f"entry {index} ({label})", content)


def _read_csv(path: Path) -> list[Entry]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        entries = []
        for row in reader:
            cleaned = {k: (v if v != "" else None) for k, v in row.items() if k}
            entries.append(Entry(path.name, f"line {reader.line_num}", cleaned))
        return entries


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def collect(seeds_dir: Path) -> dict[str, list[Entry]]:
    """Every seed entry by table, read but not yet validated."""
    entries: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    yaml_files = {
        "sources.yaml": "sources",
        "funding.yaml": "funding_records",
        "regulation.yaml": "regulation_events",
        "assessments.yaml": "assessments",
        "ai_models.yaml": "ai_models",
        "organizations.yaml": "organizations",
        "model_families.yaml": "model_families",
        "model_aliases.yaml": "model_aliases",
        "timeline.yaml": "timeline_events",
    }
    for name, table in yaml_files.items():
        path = seeds_dir / name
        if path.exists():
            entries[table].extend(_yaml_entries(path, _read_yaml(path) or []))
    for path in sorted((seeds_dir / "observations").glob("*.yaml")):
        document = _read_yaml(path) or {}
        entries["indicators"].extend(_yaml_entries(path, document.get("indicators") or []))
        entries["observations"].extend(_yaml_entries(path, document.get("observations") or []))
    csv_files = {
        "arena_scores.csv": "arena_scores",
        "neurips_institutions.csv": "neurips_institutions",
        "data_centers.csv": "data_centers",
        "edwc_clusters.csv": "edwc_clusters",
    }
    for name, table in csv_files.items():
        path = seeds_dir / name
        if path.exists():
            entries[table].extend(_read_csv(path))
    return entries


def validate(entries: dict[str, list[Entry]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Validated content by table and key; raises SeedError listing every problem."""
    issues: list[SeedIssue] = []
    valid: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in KINDS}
    for table, kind in KINDS.items():
        for entry in entries[table]:
            raw = _renamed(entry.raw)
            assert kind.create is not None
            if "source_key" in kind.create.model_fields:
                raw.setdefault("source_key", PRIMARY_SOURCE)
            try:
                key, content = kind.content(raw)
            except ValidationError as exc:
                for error in exc.errors():
                    location = ".".join(str(p) for p in error["loc"]) or "(entry)"
                    issues.append(SeedIssue(entry.file, entry.where, location, error["msg"]))
                continue
            except (ValueError, KeyError) as exc:
                name = "period" if table == "observations" else "likelihood"
                issues.append(SeedIssue(entry.file, entry.where, name, str(exc)))
                continue
            if key in valid[table]:
                issues.append(SeedIssue(entry.file, entry.where, "key", f"duplicate key {key!r}"))
                continue
            valid[table][key] = content
    issues.extend(_reference_issues(valid))
    if issues:
        raise SeedError(issues)
    return valid


def _reference_issues(valid: dict[str, dict[str, dict[str, Any]]]) -> list[SeedIssue]:
    checks = [
        ("observations", "indicator_key", "indicators"),
        ("arena_scores", "model_key", "ai_models"),
        ("model_aliases", "model_key", "ai_models"),
        ("model_families", "organization_key", "organizations"),
        ("funding_records", "overlaps_with", "funding_records"),
    ]
    issues = [
        SeedIssue(table, f"key {key}", column, f"unknown {target} key {content[column]!r}")
        for table, column, target in checks
        for key, content in valid[table].items()
        if content.get(column) is not None and content[column] not in valid[target]
    ]
    for table, records in valid.items():
        for key, content in records.items():
            source = content.get("source_key")
            if source is not None and source not in valid["sources"]:
                issues.append(
                    SeedIssue(table, f"key {key}", "source_key", f"unknown source {source!r}")
                )
    return issues


def load(session: Session, seeds_dir: Path) -> SeedReport:
    """Validate every seed file, then write the differences as revisions (flush only)."""
    valid = validate(collect(seeds_dir))
    report = SeedReport()
    for table in ORDER:
        model = KINDS[table].model
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
