"""The registries hold together: every record kind (api/services/kinds.py) and every area of
the API (api/routers/__init__.py) is registered once, and what each line promises exists."""

import importlib
import pkgutil

from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import api.services
from api import SEEDS_DIR
from api.models.assessments import AssessmentScope
from api.models.base import Pillar
from api.routers import AREAS, TAGS
from api.services.kinds import BY_TABLE, KINDS, references
from api.services.records import RecordKind
from api.web.dashboard_page import PILLAR_NAMES
from tests.api.routes import ROUTES

OPERATIONS = {route.operation_id for route in ROUTES}


def test_every_kind_is_registered_once() -> None:
    assert len(BY_TABLE) == len(KINDS)
    defined = set()
    for module in pkgutil.iter_modules(api.services.__path__):
        loaded = importlib.import_module(f"api.services.{module.name}")
        defined |= {
            str(value.model.__tablename__)
            for value in vars(loaded).values()
            if isinstance(value, RecordKind)
        }
    assert defined == set(BY_TABLE)


def test_every_kind_has_its_routes() -> None:
    for registered in KINDS:
        kind = registered.kind
        expected = {f"list_{kind.plural}", f"get_{kind.name}", f"list_{kind.name}_revisions"}
        if kind.create is not None:
            expected |= {f"create_{kind.name}", f"revise_{kind.name}", f"retire_{kind.name}"}
        if registered.csv_import is not None:
            expected.add(f"import_{kind.plural}")
        assert expected <= OPERATIONS, registered.table


def test_every_kind_has_a_migrated_table(engine: Engine) -> None:
    migrated = set(inspect(engine).get_table_names())
    for registered in KINDS:
        assert registered.table in SQLModel.metadata.tables
        assert registered.table in migrated


def test_every_seed_file_belongs_to_a_kind_and_every_kind_has_one() -> None:
    claimed = set()
    for registered in KINDS:
        assert registered.seeds is not None, registered.table
        paths = sorted(SEEDS_DIR.glob(registered.seeds.pattern))
        assert paths, registered.seeds.pattern
        assert {path.suffix for path in paths} <= {".csv", ".yaml"}
        claimed |= set(paths)
    files = {p for p in SEEDS_DIR.rglob("*") if p.suffix in (".csv", ".yaml", ".yml")}
    assert files == claimed


def test_references_resolve_to_a_kind_loaded_before() -> None:
    order = [registered.table for registered in KINDS]
    for position, registered in enumerate(KINDS):
        create = registered.kind.create
        assert create is not None
        refers = references(registered.kind)
        assert set(refers) <= set(create.model_fields), registered.table
        for target in refers.values():
            table = str(target.model.__tablename__)
            assert order.index(table) <= position, f"{registered.table} before {table}"
        # A field that names another record's key is a reference: none is forgotten.
        keys = {name for name in create.model_fields if name.endswith("_key")}
        assert keys <= set(refers), registered.table


def test_import_columns_are_the_kind_s_fields() -> None:
    for registered in KINDS:
        spec, create = registered.csv_import, registered.kind.create
        if spec is not None and create is not None:
            columns = {*spec.columns.required, *spec.columns.optional}
            assert columns <= set(create.model_fields), registered.table


def test_every_area_has_one_tag_and_every_tag_is_documented() -> None:
    documented = [tag["name"] for tag in TAGS]
    assert len(documented) == len(set(documented))
    for area in AREAS:
        assert len(area.router.tags) == 1
        assert area.tag in documented
    used = {str(tag) for route in ROUTES if route.include_in_schema for tag in route.tags}
    assert used == set(documented)


def test_every_pillar_is_an_area_an_assessment_scope_and_has_a_name() -> None:
    pillars = {pillar.value for pillar in Pillar}
    areas = {area.tag for area in AREAS if area.router.prefix == f"/v1/{area.tag}"}
    assert pillars <= areas
    assert {scope.value for scope in AssessmentScope} == pillars | {"overall"}
    assert set(PILLAR_NAMES) == pillars
