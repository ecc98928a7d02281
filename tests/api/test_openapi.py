"""The OpenAPI document generates clean clients: every operation documented and stable."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.routes import ROUTES


def _spec(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return spec


def test_every_route_has_summary_tags_response_model_and_operation_id() -> None:
    ids = []
    for route in ROUTES:
        if not route.include_in_schema:
            continue
        assert route.summary, route.path
        assert route.tags, route.path
        assert route.response_model is not None, route.path
        assert route.operation_id, route.path
        ids.append(route.operation_id)
    assert len(ids) == len(set(ids))


def test_every_schema_has_an_example(client: TestClient) -> None:
    schemas = _spec(client)["components"]["schemas"]
    assert [name for name, s in schemas.items() if not s.get("examples")] == []


def test_numeric_fields_say_their_unit_or_meaning(client: TestClient) -> None:
    schemas = _spec(client)["components"]["schemas"]
    missing = []
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            types = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", [])}
            if types & {"number", "integer"} and not prop.get("description"):
                missing.append(f"{name}.{field}")
    assert missing == []


def test_errors_are_documented_as_problem_json(client: TestClient) -> None:
    for path, operations in _spec(client)["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            if "requestBody" in operation:  # invalid bodies are a 422 problem
                assert "application/problem+json" in responses["422"]["content"], path
            else:  # bad queries are a 400 problem, never FastAPI's 422 shape
                assert "422" not in responses, path
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "application/problem+json" in responses["400"]["content"], path


def test_every_pillar_has_its_tag(client: TestClient) -> None:
    tags = {t["name"] for t in _spec(client)["tags"]}
    assert {"funding", "regulation", "talent", "diffusion", "models", "compute"} <= tags


def test_docs_load_their_assets_from_the_service(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn." not in html, page
        assert "googleapis" not in html, page
        for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/redoc.standalone.js"):
            assert client.get(asset).status_code == 200
