"""The registry of record kinds: each kind once, and what the service derives from it.

A kind's line names its seed file, the fields that hold another kind's key, and, for a kind
imported from CSV, the columns of the import. From the list come the seed loader's files
and load order (a kind after the kinds it refers to), the one table of references that API
writes, CSV imports and seeds check, and the columns an import requires and documents.
tests/api/test_kinds.py walks it: every kind has a router, a migrated table, a seed file,
references that resolve.

To add a kind: its model (api/models/), its `RecordKind` (api/services/), a migration,
`add_record_routes` in its area's router (api/routers/), and one line in `KINDS`.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType

from sqlmodel import SQLModel

from api.services.assessments import ASSESSMENTS
from api.services.compute import DATA_CENTERS, EDWC_CLUSTERS
from api.services.funding import FUNDING_RECORDS
from api.services.indicators import INDICATORS, OBSERVATIONS
from api.services.models import AI_MODELS, ARENA_SCORES
from api.services.records import RecordKind
from api.services.registry import MODEL_ALIASES, MODEL_FAMILIES, ORGANIZATIONS
from api.services.regulation import REGULATION_EVENTS
from api.services.sources import SOURCES
from api.services.spelling import UnkeyableName, fold, letters_lost
from api.services.talent import NEURIPS_INSTITUTIONS
from api.services.timeline import TIMELINE_EVENTS

REGISTRY_SOURCE = "aigap-registry"


@dataclass(frozen=True)
class SeedFile:
    """Where a kind's seed entries are, below seeds/."""

    pattern: str  # a file, or a glob such as observations/*.yaml; .csv or .yaml
    section: str | None = None  # the YAML list under this key; None: the document is the list
    source: str | None = None  # entries' default source; their source_location is the file


@dataclass(frozen=True)
class CsvColumns:
    """The columns of a CSV import, written once: the importer requires them, its endpoint
    lists them."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)  # shown after the column's name

    def text(self) -> str:
        optional = [f"{n} ({self.notes[n]})" if n in self.notes else n for n in self.optional]
        return ", ".join(self.required) + ("; optional " + ", ".join(optional) if optional else "")


@dataclass(frozen=True)
class CsvImport:
    """A kind whose CSV rows are its own fields."""

    columns: CsvColumns
    key_for: Callable[[dict[str, str]], str]  # the key of a row that gives none


@dataclass(frozen=True)
class Registered:
    kind: RecordKind
    seeds: SeedFile | None = None
    refers: dict[str, RecordKind] = field(default_factory=dict)  # field -> whose key it holds
    csv_import: CsvImport | None = None

    @property
    def table(self) -> str:
        return str(self.kind.model.__tablename__)


@lru_cache(maxsize=16_384)  # an import derives each model's key once per row
def slug(name: str) -> str:
    """A key from a name: `GPT-4o (2024-05-13)` -> `gpt-4o-2024-05-13`, `Mé` -> `me`.

    Raises UnkeyableName for letters no key can hold: leaving them out would make two
    names one key.
    """
    if lost := letters_lost(name):
        raise UnkeyableName(name, lost)
    lowered = re.sub(r"[^a-z0-9.\-]+", "-", fold(name.strip()))
    return re.sub(r"-{2,}", "-", lowered).strip("-.") or "model"


def observation_key(values: dict[str, str]) -> str:
    period = (values.get("period") or "undated").replace("/", "-")
    return slug(f"{values.get('indicator_key', '')}-{values.get('country', '')}-{period}")


def funding_key(values: dict[str, str]) -> str:
    return slug(
        f"{values.get('country', '')}-{values.get('program', '')}-"
        f"{values.get('period_start') or 'undated'}"
    )


OBSERVATION_IMPORT = CsvImport(
    CsvColumns(
        required=("indicator_key", "country", "period", "value", "source_location"),
        optional=(
            "key",
            "value_max",
            "qualifier",
            "unit",
            "status",
            "source_key",
            "cited_source",
            "note",
        ),
    ),
    key_for=observation_key,
)
FUNDING_IMPORT = CsvImport(
    CsvColumns(
        required=(
            "program",
            "country",
            "level",
            "measure",
            "amount",
            "currency",
            "status",
            "source_location",
        ),
        optional=(
            "key",
            "amount_max",
            "amount_usd",
            "amount_usd_max",
            "usd_converted",
            "fx_rate",
            "fx_rate_date",
            "fx_rate_source",
            "amount_basis",
            "qualifier",
            "period_start",
            "period_end",
            "annualize_start",
            "annualize_end",
            "confidence",
            "overlaps_with",
            "overlap_kind",
            "overlap_reason",
            "inferred_fields",
            "source_key",
            "cited_source",
            "note",
        ),
    ),
    key_for=funding_key,
)

# Every kind once, in load order: a kind after the kinds it refers to. A `source_key`
# refers to a source in every kind that has one; it is not repeated on each line.
KINDS: tuple[Registered, ...] = (
    Registered(SOURCES, SeedFile("sources.yaml")),
    Registered(INDICATORS, SeedFile("observations/*.yaml", section="indicators")),
    Registered(
        OBSERVATIONS,
        SeedFile("observations/*.yaml", section="observations"),
        refers={"indicator_key": INDICATORS},
        csv_import=OBSERVATION_IMPORT,
    ),
    Registered(
        FUNDING_RECORDS,
        SeedFile("funding.yaml"),
        refers={"overlaps_with": FUNDING_RECORDS},
        csv_import=FUNDING_IMPORT,
    ),
    Registered(REGULATION_EVENTS, SeedFile("regulation.yaml")),
    Registered(ASSESSMENTS, SeedFile("assessments.yaml")),
    Registered(ORGANIZATIONS, SeedFile("organizations.yaml", source=REGISTRY_SOURCE)),
    Registered(
        MODEL_FAMILIES,
        SeedFile("model_families.yaml", source=REGISTRY_SOURCE),
        refers={"organization_key": ORGANIZATIONS},
    ),
    Registered(AI_MODELS, SeedFile("ai_models.yaml")),
    Registered(
        MODEL_ALIASES,
        SeedFile("model_aliases.yaml", source=REGISTRY_SOURCE),
        refers={"model_key": AI_MODELS},
    ),
    Registered(ARENA_SCORES, SeedFile("arena_scores.csv"), refers={"model_key": AI_MODELS}),
    Registered(NEURIPS_INSTITUTIONS, SeedFile("neurips_institutions.csv")),
    Registered(DATA_CENTERS, SeedFile("data_centers.csv")),
    Registered(EDWC_CLUSTERS, SeedFile("edwc_clusters.csv")),
    Registered(TIMELINE_EVENTS, SeedFile("timeline.yaml")),
)

BY_TABLE = {registered.table: registered for registered in KINDS}


def registered(kind: RecordKind) -> Registered:
    """A kind's registration; a pillar's view of a kind (talent observations) is its kind's."""
    return BY_TABLE[str(kind.model.__tablename__)]


def references(kind: RecordKind) -> Mapping[str, RecordKind]:
    """The fields of a kind that hold another record's key, and that record's kind."""
    assert kind.create is not None
    return _references(str(kind.model.__tablename__), kind.create)


@cache  # asked for every row of an import
def _references(table: str, create: type[SQLModel]) -> Mapping[str, RecordKind]:
    refers = BY_TABLE[table].refers
    if "source_key" in create.model_fields:
        return MappingProxyType({"source_key": SOURCES, **refers})
    return MappingProxyType(dict(refers))
