"""List, detail and revisions endpoints for one kind of versioned record.

Every pillar router registers its record kinds here, so that every list in the API has
the same parameters, pages, sort, as_of, CSV and error documentation.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.base import KEY_PATTERN
from api.models.pages import Page
from api.services.records import ListQuery, RecordKind, get_record, list_records, list_revisions
from api.services.writes import create_record, record_etag, retire_record, revise_record
from api.web.auth import WriterDep, WriteSessionDep
from api.web.conditional import (
    RECORD_DETAIL,
    NotModified,
    cache_headers,
    etag_matches,
    wants_csv,
)
from api.web.csv_export import csv_response
from api.web.csv_routes import add_csv_twin
from api.web.data_version import DataVersionDep
from api.web.page_json import page_encoder
from api.web.paging import link_header
from api.web.params import IsoDate, IsoDateTime
from api.web.strict_query import negotiates_csv

AS_OF_DESCRIPTION = (
    "Answer exactly as the service would have at this time (ISO 8601, e.g. "
    "2025-06-01T00:00:00Z): the revisions that were current then."
)
AsOf = Annotated[IsoDateTime | None, Query(description=AS_OF_DESCRIPTION)]
CONDITIONAL_NOTE = (
    "Send the last ETag in If-None-Match to get a 304 (no body) until the data changes."
)
PAGE_HEADERS: dict[str, Any] = {
    "ETag": {"description": "Changes whenever the data does.", "schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last pages.",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {
        "description": "Records matching the query, over all pages.",
        "schema": {"type": "integer"},
    },
}
Key = Annotated[
    str,
    Path(
        description="The record's key: lower-case letters, digits, `.` and `-`.",
        pattern=KEY_PATTERN,
        max_length=200,
    ),
]


def csv_columns(kind: RecordKind) -> list[str]:
    revision = ["revision", "valid_from", "valid_to", "retired", "changed_by"]
    fields = [f for f in kind.public.model_fields if f not in revision and f != "key"]
    return ["key", *fields, *revision]


def _csv_description(kind: RecordKind) -> str:
    lines = [f"One row per {kind.name.replace('_', ' ')}; columns:"]
    for name in csv_columns(kind):
        info = kind.public.model_fields[name]
        lines.append(f"- `{name}`: {info.description or ''}".rstrip())
    return "\n".join(lines)


def _filter_parameters(kind: RecordKind) -> list[inspect.Parameter]:
    parameters = []
    for index, spec in enumerate(kind.filters):
        annotation: Any = IsoDate if spec.kind is date else str
        query = Query(
            alias=spec.param,
            description=spec.description,
            pattern=spec.pattern,
            min_length=None if spec.kind is date else 1,
        )
        parameters.append(
            inspect.Parameter(
                f"filter_{index}",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[annotation | None, query],
            )
        )
    return parameters


def _with_signature(function: Callable[..., Any], extra: list[inspect.Parameter]) -> None:
    signature = inspect.signature(function)
    parameters = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    function.__signature__ = signature.replace(parameters=[*parameters, *extra])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ListedKind:
    """A list endpoint's answer from its validated parameters: shared by the endpoint and
    the read path, so both give the same bytes."""

    kind: RecordKind

    def query(self, values: dict[str, Any], where: dict[str, Any] | None = None) -> ListQuery:
        filters = self.kind.filters
        return ListQuery(
            limit=values["limit"],
            page=values["page"],
            sort=values.get("sort"),
            as_of=values.get("as_of"),
            filters={spec.param: values.get(f"filter_{i}") for i, spec in enumerate(filters)},
            mrv=values.get("mrv"),
            where=where or {},
        )

    def headers(
        self, request: Request, query: ListQuery, total: int, etag: str | None
    ) -> dict[str, str]:
        return {
            "Link": link_header(request, page=query.page, limit=query.limit, total=total),
            "X-Total-Count": str(total),
            **(cache_headers(etag) if etag else {}),
        }

    def json(
        self,
        session: Session,
        request: Request,
        values: dict[str, Any],
        version: int | None,
        etag: str | None,
        where: dict[str, Any] | None = None,
    ) -> Response:
        query = self.query(values, where)
        listing = list_records(session, self.kind, query, data_version=version)
        body = page_encoder(self.kind.public).encode(
            listing.items, listing.total, query.limit, query.page
        )
        headers = self.headers(request, query, listing.total, etag)
        return Response(body, media_type="application/json", headers=headers)


def add_record_routes(
    router: APIRouter,
    path: str,
    kind: RecordKind,
    *,
    mrv: bool = False,
    parent: RecordKind | None = None,
    parent_column: str = "indicator_key",
) -> None:
    """GET {path}, GET {path}/{key}, GET {path}/{key}/revisions.

    With `parent`, `path` holds `{code}`, the key of a parent record (404 when it does not
    exist); only the list is added, restricted to rows whose `parent_column` is that key.
    """
    label = kind.plural.replace("_", " ")
    one_field = "-?(?:" + "|".join(kind.sort_fields) + ")"
    sort_pattern = f"^{one_field}(?:,{one_field})*$"
    sort_doc = (
        "Comma-separated fields, each at most once, `-` for descending. Sortable: "
        + ", ".join(kind.sort_fields)
        + f". Default: {','.join(kind.default_sort)}."
    )

    def list_endpoint(
        request: Request,
        session: SessionDep,
        version: DataVersionDep,
        *,
        limit: Annotated[
            int, Query(ge=1, le=1000, description="Page size (1-1000; more is a 400).")
        ] = 50,
        page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
        sort: Annotated[str | None, Query(description=sort_doc, pattern=sort_pattern)] = None,
        as_of: AsOf = None,
        **filters: Any,
    ) -> Any:
        where = {}
        if parent is not None:
            code = filters["code"]
            get_record(session, parent, code, as_of)
            where[parent_column] = code
        values = {"limit": limit, "page": page, "sort": sort, "as_of": as_of, **filters}
        etag = getattr(request.state, "etag", None)
        if wants_csv(request):  # also on the `.csv` twin
            query = listed.query(values, where)
            listing = list_records(session, kind, query, data_version=version)
            headers = listed.headers(request, query, listing.total, etag)
            return csv_response(csv_columns(kind), listing.items, headers)
        return listed.json(session, request, values, version, etag, where)

    listed = ListedKind(kind)
    if parent is None:  # the read path (api/web/read_path.py) answers it before routing
        list_endpoint.listed = listed  # type: ignore[attr-defined]
    extra = _filter_parameters(kind)
    if parent is not None:
        extra.append(
            inspect.Parameter(
                "code",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    str,
                    Path(
                        description=f"Key of the {parent.name}.",
                        pattern=KEY_PATTERN,
                        max_length=200,
                    ),
                ],
            )
        )
    if mrv:
        extra.append(
            inspect.Parameter(
                "mrv",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    int | None,
                    Query(
                        ge=1,
                        le=100,
                        description="Most recent values: only the latest N periods of each "
                        "indicator and country.",
                    ),
                ],
            )
        )
    _with_signature(list_endpoint, extra)
    negotiates_csv(list_endpoint)
    errors: dict[int | str, dict[str, Any]] = {
        400: ERROR_RESPONSES[400],
        503: ERROR_RESPONSES[503],
        **({404: ERROR_RESPONSES[404]} if parent else {}),
    }
    router.add_api_route(
        path,
        list_endpoint,
        methods=["GET"],
        response_model=Page[kind.public],  # type: ignore[name-defined]
        summary=f"List {label}",
        description=f"Current {label} by default; `as_of` for any earlier time. The same "
        f"page as CSV: `{path}.csv`, or `Accept: text/csv`, or `format=csv`. " + CONDITIONAL_NOTE,
        operation_id=f"list_{kind.plural}",
        responses={
            200: {"description": "A page of records.", "headers": PAGE_HEADERS},
            **errors,
        },
    )

    add_csv_twin(
        router,
        path,
        list_endpoint,
        operation_id=f"list_{kind.plural}_csv",
        summary=f"List {label} as CSV",
        columns=csv_columns(kind),
        rows=kind.name.replace("_", " "),
        columns_doc=_csv_description(kind),
        headers=PAGE_HEADERS,
        errors=errors,
    )
    if parent is not None:
        return

    def detail_endpoint(
        request: Request, response: Response, session: SessionDep, key: Key, as_of: AsOf = None
    ) -> Any:
        record = get_record(session, kind, key, as_of)
        etag = record_etag(record)
        if etag_matches(request.headers.get("if-none-match"), etag):
            raise NotModified(etag)
        response.headers.update(cache_headers(etag))
        return kind.public.model_validate(record)

    router.add_api_route(
        path + "/{key}",
        detail_endpoint,
        methods=["GET"],
        name=f"{RECORD_DETAIL}{kind.name}",
        response_model=kind.public,
        summary=f"Get one of the {label}",
        description="The ETag names this revision: send it back in If-Match to change it.",
        operation_id=f"get_{kind.name}",
        responses={
            304: {"description": "Not modified since the ETag in If-None-Match."},
            400: ERROR_RESPONSES[400],
            404: ERROR_RESPONSES[404],
            503: ERROR_RESPONSES[503],
        },
    )

    def revisions_endpoint(session: SessionDep, key: Key, as_of: AsOf = None) -> Any:
        return [kind.public.model_validate(r) for r in list_revisions(session, kind, key, as_of)]

    router.add_api_route(
        path + "/{key}/revisions",
        revisions_endpoint,
        methods=["GET"],
        response_model=list[kind.public],  # type: ignore[name-defined]
        summary=f"History of one of the {label}",
        description="Every revision, oldest first, including a retirement.",
        operation_id=f"list_{kind.name}_revisions",
        responses={
            304: {"description": "Not modified since the ETag in If-None-Match."},
            400: ERROR_RESPONSES[400],
            404: ERROR_RESPONSES[404],
            503: ERROR_RESPONSES[503],
        },
    )
    if kind.create is not None:
        add_write_routes(router, path, kind)


IfMatch = Annotated[
    str | None,
    Header(description="The ETag of the revision being changed (from GET); required."),
]
WRITE_ERRORS = (400, 401, 403, 422, 429, 503)


def _links_from_created(kind: RecordKind) -> dict[str, Any]:
    """OpenAPI links from a created record to what a client does next with it (and what
    schemathesis' stateful phase chains): read it, its history, correct it, retire it."""
    key = {"path.key": "$response.body#/key"}
    guarded = {"path.key": "$response.body#/key", "header.If-Match": "$response.header.ETag"}
    return {
        "Read": {"operationId": f"get_{kind.name}", "parameters": key},
        "History": {"operationId": f"list_{kind.name}_revisions", "parameters": key},
        "Correct": {"operationId": f"revise_{kind.name}", "parameters": guarded},
        "Retire": {"operationId": f"retire_{kind.name}", "parameters": guarded},
    }


def add_write_routes(router: APIRouter, path: str, kind: RecordKind) -> None:
    """POST {path}, PUT {path}/{key}, DELETE {path}/{key}: each a new revision."""
    assert kind.create is not None
    body_model = kind.create
    label = kind.name.replace("_", " ")

    def create_endpoint(
        request: Request,
        response: Response,
        session: WriteSessionDep,
        principal: WriterDep,
        payload: body_model,  # type: ignore[valid-type]
    ) -> Any:
        content = payload.model_dump()  # type: ignore[attr-defined]
        record = create_record(session, kind, content, actor=principal.name)
        response.status_code = 201
        response.headers["Location"] = f"{request.url.path}/{record['key']}"
        response.headers["ETag"] = record_etag(record)
        return kind.public.model_validate(record)

    router.add_api_route(
        path,
        create_endpoint,
        methods=["POST"],
        status_code=201,
        response_model=kind.public,
        summary=f"Create a {label}",
        description="Needs a key with write scope. The new record is revision 1.",
        operation_id=f"create_{kind.name}",
        responses={
            201: {"description": "Created.", "links": _links_from_created(kind)},
            **{code: ERROR_RESPONSES[code] for code in (*WRITE_ERRORS, 409)},
        },
    )

    def revise_endpoint(
        response: Response,
        session: WriteSessionDep,
        principal: WriterDep,
        key: Key,
        payload: body_model,  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> Any:
        content = payload.model_dump()  # type: ignore[attr-defined]
        record = revise_record(session, kind, key, content, if_match=if_match, actor=principal.name)
        response.headers["ETag"] = record_etag(record)
        return kind.public.model_validate(record)

    router.add_api_route(
        path + "/{key}",
        revise_endpoint,
        methods=["PUT"],
        response_model=kind.public,
        summary=f"Correct a {label} (a new revision)",
        description="Replaces the content as a new revision; the old one stays readable "
        "through as_of and /revisions. Needs If-Match with the current ETag.",
        operation_id=f"revise_{kind.name}",
        responses={code: ERROR_RESPONSES[code] for code in (*WRITE_ERRORS, 404, 412, 428)},
    )

    def retire_endpoint(
        session: WriteSessionDep, principal: WriterDep, key: Key, if_match: IfMatch = None
    ) -> Any:
        record = retire_record(session, kind, key, if_match=if_match, actor=principal.name)
        return kind.public.model_validate(record)

    router.add_api_route(
        path + "/{key}",
        retire_endpoint,
        methods=["DELETE"],
        response_model=kind.public,
        summary=f"Retire a {label} (soft delete)",
        description="Adds a last revision marked retired and returns it; lists stop showing "
        "the record, its history stays. Needs If-Match.",
        operation_id=f"retire_{kind.name}",
        responses={code: ERROR_RESPONSES[code] for code in (*WRITE_ERRORS, 404, 412, 428)},
    )
