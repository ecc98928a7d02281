"""A list filter on a closed vocabulary (a status, a pillar, a funding level ...) refuses a
value outside it with a 400 that lists the values, as /v1/funding/totals always did, rather
than answering an empty page that looks like missing data."""

import types
import typing
from enum import StrEnum
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.services.records import FilterSpec, RecordKind
from tests.api.routes import ROUTES


def _kinds() -> dict[str, RecordKind]:
    """Each list path answered by a record kind, with the kind."""
    return {
        route.path: route.endpoint.listed.kind
        for route in ROUTES
        if hasattr(route.endpoint, "listed") and "{" not in route.path
    }


KINDS = _kinds()
CLOSED = [
    (path, spec) for path, kind in sorted(KINDS.items()) for spec in kind.filters if spec.choices
]


def _enum_of(annotation: Any) -> type[StrEnum] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        found = [_enum_of(arg) for arg in typing.get_args(annotation)]
        return next((enum for enum in found if enum is not None), None)
    return None


def _column_enum(kind: RecordKind, spec: FilterSpec) -> type[StrEnum] | None:
    model = kind.join.model if spec.joined and kind.join else kind.model
    field = model.model_fields.get(spec.column)
    return None if field is None else _enum_of(field.annotation)


def test_the_walk_found_the_closed_filters() -> None:
    params = {spec.param for _, spec in CLOSED}
    assert {"pillar", "status", "qualifier", "level", "measure", "kind"} <= params
    assert "/v1/observations" in KINDS


@pytest.mark.parametrize(("path", "kind"), sorted(KINDS.items()), ids=sorted(KINDS))
def test_every_filter_on_an_enumerated_column_is_closed(path: str, kind: RecordKind) -> None:
    for spec in kind.filters:
        enum = _column_enum(kind, spec)
        if enum is not None:
            assert spec.choices == tuple(value.value for value in enum), (path, spec.param)


@pytest.mark.parametrize(
    ("path", "spec"), CLOSED, ids=[f"{path}?{spec.param}" for path, spec in CLOSED]
)
def test_a_value_outside_the_vocabulary_is_a_400_listing_it(
    client: TestClient, path: str, spec: FilterSpec
) -> None:
    misspelled = spec.choices[0][:-1] + "x"
    response = client.get(path, params={spec.param: misspelled})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [error["field"] for error in problem["errors"]] == [f"query.{spec.param}"]
    assert repr(misspelled) in problem["detail"]
    assert all(f"`{value}`" in problem["detail"] for value in spec.choices)
    assert "^" not in problem["detail"]  # the values by name, never the pattern


JSON_CLOSED = [(path, spec) for path, spec in CLOSED if not path.endswith(".csv")]


@pytest.mark.parametrize(
    ("path", "spec"), JSON_CLOSED, ids=[f"{path}?{spec.param}" for path, spec in JSON_CLOSED]
)
def test_values_inside_it_filter_as_before(client: TestClient, path: str, spec: FilterSpec) -> None:
    """Two values select the rows of either: the union of what each selects alone."""

    def keys(value: str) -> set[str]:
        response = client.get(path, params={spec.param: value, "limit": 1000})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if not spec.joined:  # a joined column (an observation's pillar) is not in the item
            assert {item[spec.column] for item in items} <= set(value.split(","))
        return {item["key"] for item in items}

    first, last = spec.choices[0], spec.choices[-1]
    assert keys(f"{first},{last}") == keys(first) | keys(last)
