"""The one handler of errors: AppError, validation, HTTP and database errors, and bugs, all
rendered as RFC 9457 problem+json (the shape is in api/errors.py)."""

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import (
    PROBLEM_BASE,
    PROBLEM_JSON,
    AppError,
    InvalidData,
    InvalidQuery,
    NotFound,
)

logger = logging.getLogger("aigap.errors")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        """As JSONResponse renders; a problem that quotes text which is not Unicode (a lone
        surrogate a client sent) is written with that text escaped, as \\ud800."""
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, allow_nan=False, separators=(",", ":")).encode()


def problem_response(
    request: Request, status: int, title: str, slug: str, detail: str, **extensions: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extensions,
    }
    headers = {"Retry-After": "1"} if status == 503 else None
    return ProblemResponse(body, status_code=status, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def problem_for(request: Request, exc: AppError) -> JSONResponse:
    """The problem response of an AppError: for handlers, and for middleware that runs
    outside of FastAPI's exception handling."""
    extensions = {k: v for k, v in exc.extensions.items() if not k.startswith("header_")}
    response = problem_response(request, exc.status, exc.title, exc.slug, exc.detail, **extensions)
    for name, value in exc.extensions.items():
        if name.startswith("header_"):  # e.g. header_retry_after -> Retry-After
            response.headers[name.removeprefix("header_").replace("_", "-").title()] = str(value)
    return response


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_for(request, exc)


def _parameter_description(request: Request, where: str, name: str) -> str | None:
    """The documented description of a request parameter: the human side of a pattern."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        current = stack.pop()
        params = {"query": current.query_params, "path": current.path_params}.get(where, [])
        for param in params:
            if name in (param.alias, param.name):
                description = param.field_info.description
                return str(description) if description else None
        stack.extend(current.dependencies)
    return None


def _reason(request: Request, error: dict[str, Any]) -> str:
    """Pydantic's message, except that a pattern is never shown: the parameter's own
    description (which names the allowed values) is."""
    if error.get("type") != "string_pattern_mismatch" or len(error["loc"]) < 2:
        return str(error["msg"])
    described = _parameter_description(request, str(error["loc"][0]), str(error["loc"][-1]))
    shown = repr(error.get("input"))[:60]
    return f"{shown} is not allowed here" + (f": {described}" if described else "")


def _unknown_path_value(request: Request, errors: list[dict[str, Any]]) -> JSONResponse | None:
    """A path value that cannot name anything (a pillar that does not exist, a key that
    cannot be one) is a 404 that says what can be named, not a 400."""
    if not errors or any(e["loc"][0] != "path" for e in errors):
        return None
    parts = []
    for error in errors:
        name = str(error["loc"][-1])
        expected = (error.get("ctx") or {}).get("expected")
        if expected:
            parts.append(f"no {name} {error.get('input')!r}; {name} is one of {expected}")
        else:
            parts.append(f"no {name} {error.get('input')!r}: {_reason(request, error)}")
    return problem_response(
        request,
        NotFound.status,
        NotFound.title,
        NotFound.slug,
        "; ".join(parts),
        errors=[
            {"field": _location(e["loc"]), "reason": part}
            for e, part in zip(errors, parts, strict=True)
        ],
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    not_found = _unknown_path_value(request, raw)
    if not_found is not None:
        return not_found
    errors = [{"field": _location(e["loc"]), "reason": _reason(request, e)} for e in raw]
    in_body = any(e["field"].startswith("body") for e in errors)
    error: type[AppError] = InvalidData if in_body else InvalidQuery
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return problem_response(request, error.status, error.title, error.slug, detail, errors=errors)


def _matching_routes(routes: Any, path: str) -> list[Any]:
    found = []
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None and path.startswith(nested.prefix):  # routers stay nested
            found.extend(_matching_routes(nested.routes, path))
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            found.append(route)
    return found


def _allowed_methods(routes: Any, path: str) -> set[str]:
    """The methods of the most literal path template matching `path` (the documented one:
    /arena-scores/import is POST only, though /arena-scores/{key} also matches it)."""
    matches = _matching_routes(routes, path)
    if not matches:
        return set()
    fewest = min(route.path.count("{") for route in matches)
    allowed = {
        method
        for route in matches
        if route.path.count("{") == fewest
        for method in getattr(route, "methods", None) or ()
    }
    return allowed | {"HEAD"} if "GET" in allowed else allowed  # HEAD is served as a GET


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        allowed = _allowed_methods(request.app.routes, request.url.path)
        exc.headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(allowed))}
    titles = {
        400: "Bad request",
        404: "Not found",
        405: "Method not allowed",
        413: "Content too large",
    }
    title = titles.get(exc.status_code, "HTTP error")
    slug = title.lower().replace(" ", "-")
    response = problem_response(request, exc.status_code, title, slug, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("no database connection free: %s", exc)
    return problem_response(
        request,
        503,
        "Service unavailable",
        "database-busy",
        "Every database connection is busy; retry shortly.",
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, OperationalError):
        logger.warning("database unavailable: %s", exc.orig)
        return problem_response(
            request,
            503,
            "Service unavailable",
            "database-unavailable",
            "The database is not reachable; retry shortly.",
        )
    return await _unexpected_error(request, exc)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        500,
        "Internal Server Error",
        "internal-error",
        "An unexpected error occurred; it has been logged.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(Exception, _unexpected_error)
