"""One error hierarchy and its RFC 9457 problem shape.

Free of the web framework, so that services can raise these without loading it; the web
layer renders them (api/web/problems.py).
"""

from typing import Any

from pydantic import ConfigDict, Field

from api.models.base import LazyModel

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://aigap.dev/problems/"


class AppError(Exception):
    """Base of every error the service raises on purpose."""

    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal-error"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidQuery(AppError):
    status, title, slug = 400, "Invalid query", "invalid-query"


class Unauthorized(AppError):
    status, title, slug = 401, "Unauthorized", "unauthorized"


class Forbidden(AppError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(AppError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(AppError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(AppError):
    status, title, slug = 412, "Precondition failed", "precondition-failed"


class RequestTimeout(AppError):
    status, title, slug = 408, "Request timeout", "request-timeout"


class ContentTooLarge(AppError):
    status, title, slug = 413, "Content too large", "content-too-large"


class UriTooLong(AppError):
    status, title, slug = 414, "URI too long", "uri-too-long"


class UnsupportedMediaType(AppError):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class PreconditionRequired(AppError):
    status, title, slug = 428, "Precondition required", "precondition-required"


class TooManyRequests(AppError):
    status, title, slug = 429, "Too many requests", "too-many-requests"


class HeaderFieldsTooLarge(AppError):
    status, title, slug = 431, "Request header fields too large", "header-fields-too-large"


class InvalidData(AppError):
    status, title, slug = 422, "Invalid data", "invalid-data"


class ServiceUnavailable(AppError):
    status, title, slug = 503, "Service unavailable", "service-unavailable"


class CommitInDoubt(ServiceUnavailable):
    """A write's COMMIT was sent and no answer came: it may have been saved."""

    slug = "commit-in-doubt"

    def __init__(self) -> None:
        super().__init__(
            "the database stopped answering while this write was being committed, so it may "
            "or may not have been saved. Read the record (its ETag, or its revisions) before "
            "you send it again, or send it again with If-Match set to the ETag it replaced: "
            "a 412 then means that it was saved.",
            header_retry_after=1,
        )


class FieldError(LazyModel):
    field: str = Field(description="Dotted location of the failing input, e.g. query.limit.")
    reason: str = Field(description="Why it failed.")
    line: int | None = Field(default=None, description="Line of a CSV import, from 1.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"field": "query.limit", "reason": "Input should be <= 1000"}]
        }
    )


class Problem(LazyModel):
    """RFC 9457 problem details."""

    type: str = Field(description="URI identifying the problem type.")
    title: str
    status: int = Field(description="The HTTP status code.")
    detail: str
    instance: str | None = Field(default=None, description="The request path.")
    errors: list[FieldError] | None = Field(
        default=None, description="Each failing field, for validation problems."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_BASE + "invalid-query",
                    "title": "Invalid query",
                    "status": 400,
                    "detail": "limit: Input should be less than or equal to 1000",
                    "instance": "/v1/sources",
                    "errors": [{"field": "query.limit", "reason": "Input should be <= 1000"}],
                }
            ]
        }
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No valid API key.", "content": {PROBLEM_JSON: {}}},
    403: {
        "model": Problem,
        "description": "The key's scope does not allow this.",
        "content": {PROBLEM_JSON: {}},
    },
    409: {
        "model": Problem,
        "description": "The record already exists.",
        "content": {PROBLEM_JSON: {}},
    },
    412: {
        "model": Problem,
        "description": "If-Match does not match the current revision.",
        "content": {PROBLEM_JSON: {}},
    },
    413: {
        "model": Problem,
        "description": "The body is larger than allowed.",
        "content": {PROBLEM_JSON: {}},
    },
    415: {"model": Problem, "description": "Wrong Content-Type.", "content": {PROBLEM_JSON: {}}},
    422: {
        "model": Problem,
        "description": "Invalid data, each failing field named.",
        "content": {PROBLEM_JSON: {}},
    },
    428: {"model": Problem, "description": "If-Match is required.", "content": {PROBLEM_JSON: {}}},
    429: {
        "model": Problem,
        "description": "Rate limited; see Retry-After.",
        "content": {PROBLEM_JSON: {}},
    },
    400: {
        "model": Problem,
        "description": "Invalid query parameters.",
        "content": {PROBLEM_JSON: {}},
    },
    404: {"model": Problem, "description": "No such record.", "content": {PROBLEM_JSON: {}}},
    503: {
        "model": Problem,
        "description": "The database is unreachable.",
        "content": {PROBLEM_JSON: {}},
    },
}
