"""CSV import endpoints: the same shape for every importable kind."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.errors import ERROR_RESPONSES, UnsupportedMediaType
from api.models.imports import ImportResult
from api.services.imports import ImportReport
from api.web.auth import WriterDep, WriteSessionDep

Importer = Callable[[Session, bytes, str], ImportReport]
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: ERROR_RESPONSES[code] for code in (400, 401, 403, 413, 415, 422, 429, 503)
}


def require_csv(content_type: str | None) -> None:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in ("text/csv", "application/csv"):
        raise UnsupportedMediaType(
            f"send the file with Content-Type: text/csv (got {media_type or 'none'})"
        )


def add_import_route(
    router: APIRouter, path: str, *, what: str, columns: str, operation_id: str, importer: Importer
) -> None:
    async def import_endpoint(
        request: Request,
        session: WriteSessionDep,
        principal: WriterDep,
        content_type: Annotated[str | None, Header()] = None,
    ) -> ImportResult:
        require_csv(content_type)  # before reading: a JSON body is a 415, not a parse error
        body = await request.body()
        report = await run_in_threadpool(importer, session, body, principal.name)
        return ImportResult(
            rows=report.rows,
            created=report.created,
            revised=report.revised,
            unchanged=report.unchanged,
            models_created=report.models_created,
        )

    router.add_api_route(
        path,
        import_endpoint,
        methods=["POST"],
        response_model=ImportResult,
        summary=f"Import {what} from CSV",
        description=f"Columns: {columns}. Every row is checked first: a file with any bad "
        "row changes nothing and the 422 problem lists each bad row's line, field and "
        "reason. A good file is written in one transaction; importing it again changes "
        "nothing.",
        operation_id=operation_id,
        responses=IMPORT_RESPONSES,
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "A UTF-8 CSV file with a header row.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        },
    )
