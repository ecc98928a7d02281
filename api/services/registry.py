"""The model registry: a model's identity under every spelling, and where it comes from.

A model is known by its identity: its name in lower case, split into words of letters and
digits joined by `-`, with dates written YYYYMMDD. `Gemini-2.5-Pro`, `gemini-2.5-pro` and
`gemini 2.5 pro` are one model; `ChatGPT-4o-latest (2025-03-26)` is
`chatgpt-4o-latest-20250326`. Spellings no rule can join are recorded as aliases.

A model's organization comes from the catalog (curated), then from the first family rule
whose pattern matches (in ascending priority), then from the leaderboard's own label when
it names a known organization; its country is that organization's. A model none of these
place is unclassified: it counts for no country, and the lag says when one scores above a
country's best. Every registry write reclassifies the derived models, so classifying a
model later corrects every figure without a re-import.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from api.models.models import DERIVED_CLASSIFICATIONS, AiModel, Classification
from api.models.registry import (
    ModelAlias,
    ModelAliasCreate,
    ModelAliasPublic,
    ModelFamily,
    ModelFamilyCreate,
    ModelFamilyPublic,
    Organization,
    OrganizationCreate,
    OrganizationPublic,
)
from api.services import filters
from api.services.records import DerivedFieldError, RecordKind
from api.services.revisions import content_of, current_filter, write_many
from api.services.spelling import UnkeyableName, fold, letters_lost

_DATE = re.compile(r"(?<!\d)(\d{4})[-_/. ](\d{2})[-_/. ](\d{2})(?!\d)")
_WORD = re.compile(r"[a-z0-9]+")


# An import names each model on every one of its rows: 100,000 rows, a few hundred names.
@lru_cache(maxsize=16_384)
def identity(name: str) -> str:
    """A model's spelling-independent identity (see the module docstring)."""
    compact = _DATE.sub(r"\1\2\3", fold(name.strip()))
    return "-".join(_WORD.findall(compact))


def name_problem(name: str) -> str | None:
    """Why a model's name cannot give it an identity and a key, if it cannot."""
    if lost := letters_lost(name):
        return str(UnkeyableName(name, lost, "write the name in Latin letters"))
    if not identity(name):
        return f"{name!r} has no letters or digits"
    return None


@lru_cache(maxsize=4_096)
def label_identity(label: str) -> str:
    """An organization label without case or punctuation: `Z.ai` and `z-ai` are one."""
    return "".join(_WORD.findall(fold(label.strip())))


@dataclass(frozen=True)
class Lab:
    key: str
    name: str
    country: str


@dataclass(frozen=True)
class Rule:
    key: str
    pattern: re.Pattern[str]
    lab: Lab


@dataclass(frozen=True)
class Placement:
    """Where the registry puts a model."""

    organization: str | None
    country: str | None
    classification: Classification
    family_rule: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "country": self.country,
            "classification": self.classification,
            "family_rule": self.family_rule,
        }


UNCLASSIFIED = Placement(None, None, Classification.unclassified)


class Registry:
    """The current registry, read once: identities, labs, rules."""

    def __init__(
        self,
        labs: Iterable[Lab],
        rules: Iterable[Rule],
        models: Iterable[tuple[str, str]],
        aliases: Iterable[tuple[str, str]],
    ) -> None:
        self.labs = {lab.key: lab for lab in labs}
        self.by_label: dict[str, Lab] = {}
        self.rules = list(rules)
        self.model_keys: dict[str, set[str]] = {}
        for key, name in models:
            for spelling in (key, name):
                self.model_keys.setdefault(identity(spelling), set()).add(key)
        for alias, model_key in aliases:
            self.model_keys.setdefault(identity(alias), set()).add(model_key)

    def add_label(self, label: str, lab: Lab) -> None:
        self.by_label.setdefault(label_identity(label), lab)

    def find_models(self, name: str) -> set[str]:
        """Catalog keys of the models this spelling names (more than one: ambiguous)."""
        return set(self.model_keys.get(identity(name), set()))

    def lab_for_label(self, label: str | None) -> Lab | None:
        return self.by_label.get(label_identity(label)) if label else None

    def place(self, name: str, label: str | None = None) -> Placement:
        """Family rules first, then the leaderboard's label; unclassified when neither."""
        spelled = identity(name)
        for rule in self.rules:
            if rule.pattern.search(spelled):
                return Placement(
                    rule.lab.name, rule.lab.country, Classification.family_rule, rule.key
                )
        lab = self.lab_for_label(label)
        if lab is not None:
            return Placement(lab.name, lab.country, Classification.leaderboard_label)
        return UNCLASSIFIED


def _current(session: Session, model: Any) -> list[Any]:
    statement = select(model).where(current_filter(model), col(model.retired).is_(False))
    return list(session.exec(statement))


def load_registry(session: Session) -> Registry:
    organizations = _current(session, Organization)
    labs = {o.key: Lab(o.key, o.name, o.country) for o in organizations}
    families = sorted(_current(session, ModelFamily), key=lambda f: (f.priority, f.key))
    rules = [
        Rule(f.key, re.compile(f.pattern, re.IGNORECASE), labs[f.organization_key])
        for f in families
        if f.organization_key in labs
    ]
    models = [(m.key, m.name) for m in _current(session, AiModel)]
    aliases = [(a.alias, a.model_key) for a in _current(session, ModelAlias)]
    registry = Registry(labs.values(), rules, models, aliases)
    for organization in organizations:
        lab = labs[organization.key]
        for label in [organization.name, organization.key, *split_labels(organization.labels)]:
            registry.add_label(label, lab)
    return registry


def split_labels(labels: str | None) -> list[str]:
    return [label.strip() for label in (labels or "").split(";") if label.strip()]


def reclassify(session: Session, actor: str) -> int:
    """Re-place every model whose place is derived; returns how many changed (new revisions).

    Curated and inferred models are a person's word and stay as they are.
    """
    registry = load_registry(session)
    changed: dict[str, dict[str, Any]] = {}
    for model in _current(session, AiModel):
        if model.classification not in DERIVED_CLASSIFICATIONS:
            continue
        placement = registry.place(model.name, model.leaderboard_organization)
        content = content_of(model)
        updated = {**content, **placement.fields()}
        if updated != content:
            changed[model.key] = updated
    write_many(session, AiModel, changed, changed_by=actor)
    return len(changed)


def _alias_key(raw: dict[str, Any]) -> dict[str, Any]:
    if raw.get("alias") is not None and not raw.get("key"):
        if problem := name_problem(str(raw["alias"])):
            raise DerivedFieldError("alias", problem)
        raw["key"] = identity(str(raw["alias"]))
    if not raw.get("key"):
        raise ValueError("alias is required")
    return raw


ORGANIZATIONS = RecordKind(
    name="organization",
    plural="organizations",
    model=Organization,
    public=OrganizationPublic,
    create=OrganizationCreate,
    filters=(filters.country(), filters.text("name", "name", "organization name")),
    sort_fields=("key", "name", "country"),
    after_write=reclassify,
)
MODEL_FAMILIES = RecordKind(
    name="model_family",
    plural="model_families",
    model=ModelFamily,
    public=ModelFamilyPublic,
    create=ModelFamilyCreate,
    filters=(filters.one_of("organization", "organization_key", "Organization key"),),
    sort_fields=("key", "priority", "organization_key"),
    default_sort=("priority", "key"),
    after_write=reclassify,
)
MODEL_ALIASES = RecordKind(
    name="model_alias",
    plural="model_aliases",
    model=ModelAlias,
    public=ModelAliasPublic,
    create=ModelAliasCreate,
    prepare=_alias_key,
    filters=(filters.one_of("model", "model_key", "Model key"),),
    sort_fields=("key", "model_key", "alias"),
)
