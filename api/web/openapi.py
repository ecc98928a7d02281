"""The OpenAPI document: problem+json instead of FastAPI's 422 shape, examples everywhere.

FastAPI documents a 422 `HTTPValidationError` on every operation with parameters; this
service answers invalid queries with a 400 problem (and invalid bodies with a 422 problem),
so the document says exactly that. Page schemas get an example built from their item's.
"""

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import PROBLEM_JSON

REF = "#/components/schemas/"


def _problem_ref(response: dict[str, Any]) -> None:
    response["description"] = "Invalid data (RFC 9457 problem)."
    response["content"] = {PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}}}


def _fix_responses(spec: dict[str, Any]) -> None:
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            invalid = responses.pop("422", None)
            has_body = "requestBody" in operation
            if invalid is not None and has_body:
                responses["422"] = invalid
                _problem_ref(invalid)
            for status, response in responses.items():
                content = response.get("content", {})
                if status[0] in "45" and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
            responses.setdefault("414", _query_too_long())


def _query_too_long() -> dict[str, Any]:
    """Any operation: the query string is bounded by AIGAP_MAX_QUERY_BYTES."""
    return {
        "description": "The query string is longer than allowed (RFC 9457 problem).",
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}}},
    }


CONDITIONAL = (
    " Conditional: send the last ETag in If-None-Match to get a 304 with no body until the "
    "data changes."
)
ETAG_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Changes whenever the data does, on every server process.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"schema": {"type": "string"}},
}
# What any request can meet before or around its operation: a query string over the
# limit, a database past its deadline. Documented on every operation.
EVERYWHERE = (414, 503)
WRITES = (401, 403, 429)
BODIES = (413, 415)


def _declare_headers_and_errors(spec: dict[str, Any], errors: dict[int, dict[str, Any]]) -> None:
    """Typed clients see one success type: the 304 of a conditional GET is described in
    words (a bodiless 304 makes generators widen every answer to Any); response headers
    and every error status a client can cause are declared with the Problem schema."""
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if responses.pop("304", None) is not None:
                operation["description"] = (operation.get("description") or "") + CONDITIONAL
            if method == "get":
                ok = responses.get("200")
                if ok is not None:
                    ok.setdefault("headers", {})
                    for name, header in ETAG_HEADERS.items():
                        ok["headers"].setdefault(name, header)
            statuses: tuple[int, ...] = EVERYWHERE
            if method in ("post", "put", "delete"):
                statuses += WRITES
            if "requestBody" in operation:
                statuses += BODIES
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                statuses += (404,)  # a path value that names nothing
            for status in statuses:
                if str(status) not in responses and status in errors:
                    responses[str(status)] = errors[status]
            if not operation.get("description"):
                operation["description"] = operation.get("summary", path)


def _add_examples(spec: dict[str, Any]) -> None:
    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for name, schema in schemas.items():
        if "examples" in schema or "example" in schema:
            continue
        if "enum" in schema:
            schema["examples"] = [schema["enum"][0]]
        elif name.endswith("Create") and name.removesuffix("Create") + "Public" in schemas:
            public = schemas[name.removesuffix("Create") + "Public"].get("examples", [{}])[0]
            fields = schema.get("properties", {})
            schema["examples"] = [{k: v for k, v in public.items() if k in fields}]
        elif name.startswith("Page_"):
            item_ref = schema["properties"]["items"]["items"]["$ref"].removeprefix(REF)
            item = schemas[item_ref].get("examples", [{}])[0]
            schema["examples"] = [{"items": [item], "total": 1, "limit": 50, "page": 1}]


def _problem_responses() -> dict[int, dict[str, Any]]:
    """The problems any operation of a kind can meet, with the Problem schema."""
    known = {
        404: "Nothing by that name; the problem says what can be named.",
        414: "The query string is longer than allowed.",
        503: (
            "The database is unavailable or past its deadline; retry after Retry-After. A "
            "write answered with the type commit-in-doubt may have been saved: its COMMIT "
            "was sent and no answer came."
        ),
        401: "No valid API key.",
        403: "The key's scope does not allow this.",
        413: "The body is larger than allowed.",
        415: "The body's media type is not one this operation reads.",
        429: "Too many writes; retry after Retry-After.",
    }
    return {
        status: {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}}},
        }
        for status, description in known.items()
    }


# Every app this process builds has the same routes, so it has the same document: build it
# once (it costs seconds: a schema for every model of 130 operations), not once per app.
_DOCUMENTS: dict[tuple[object, ...], dict[str, Any]] = {}


def _document_key(app: FastAPI) -> tuple[object, ...]:
    routes = tuple(
        (
            getattr(r, "path", ""),
            getattr(r, "name", ""),
            tuple(sorted(getattr(r, "methods", ()) or ())),
        )
        for r in app.routes
    )
    return (app.title, app.version, app.description, routes)


def _build(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    _fix_responses(spec)
    _declare_headers_and_errors(spec, _problem_responses())
    _add_examples(spec)
    spec["servers"] = [{"url": "/", "description": "This service."}]
    spec["info"]["contact"] = {"name": "aigap maintainers"}
    return spec


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            key = _document_key(app)
            if key not in _DOCUMENTS:
                _DOCUMENTS[key] = _build(app)
            app.openapi_schema = copy.deepcopy(_DOCUMENTS[key])
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
