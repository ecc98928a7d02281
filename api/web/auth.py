"""Who may write: API keys in `Authorization: Bearer` or `X-API-Key`, scopes, rate limits."""

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.errors import Forbidden, TooManyRequests, Unauthorized
from api.models.auth import Scope
from api.services.auth import Principal, authenticate
from api.services.ratelimit import hit
from api.services.writes import lock_writes
from api.web.failed_keys import FailedKeys

bearer = HTTPBearer(auto_error=False, description="An aigap API key.")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An aigap API key.")
CHALLENGE = {"header_www_authenticate": 'Bearer realm="aigap"'}


# The dependencies below that touch no database are coroutines: FastAPI runs a plain
# function dependency in a worker thread, one hop each per write.
async def _presented_key(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    header_key: Annotated[str | None, Depends(api_key_header)],
) -> str | None:
    return credentials.credentials if credentials else header_key


def _principal(session: Session, key: str | None) -> Principal:
    if not key:
        raise Unauthorized(
            "this needs an API key: Authorization: Bearer <key> or X-API-Key", **CHALLENGE
        )
    principal = authenticate(session, key)
    if principal is None:
        raise Unauthorized("the API key is unknown or revoked", **CHALLENGE)
    return principal


def _header_key(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else request.headers.get("x-api-key")


def _may_write(principal: Principal) -> Principal:
    if not principal.allows(Scope.write):
        raise Forbidden(f"key {principal.name!r} has scope {principal.scope}; writes need write")
    return principal


def writer_from_headers(request: Request, session: Session) -> Principal:
    """A key with write scope, from the headers alone (api/web/intake.py calls this before
    the body is read)."""
    return _may_write(_principal(session, _header_key(request)))


async def authenticated_writer(
    request: Request,
    session: SessionDep,
    key: Annotated[str | None, Depends(_presented_key)],
) -> Principal:
    """The writer the intake authenticated before reading the body (or, for an app run
    without it, authenticated now): 401 or 403 before any lock is taken."""
    principal = getattr(request.state, "principal", None)
    if isinstance(principal, Principal):
        return principal
    return _may_write(await anyio.to_thread.run_sync(_principal, session, key))


def write_session(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(authenticated_writer)],
) -> Session:
    """The request's session, holding the write lock (for its transaction alone) and
    counting the write against the key's and the address's rate limits (429)."""
    lock_writes(session)
    address = request.client.host if request.client else "unknown"
    failed: FailedKeys | None = getattr(request.app.state, "failed_keys", None)
    failures = failed.count(address) if failed else 0  # requests without a valid key
    for bucket, limit in (
        (f"key:{principal.name}", settings.write_rate_limit),
        (f"addr:{address}", settings.address_rate_limit - failures),
    ):
        wait = hit(session, bucket, limit=limit, window_seconds=settings.rate_window_seconds)
        if wait is not None:
            raise TooManyRequests(
                f"more than {limit} writes in {settings.rate_window_seconds} s for {bucket}; "
                f"retry in {wait} s",
                header_retry_after=wait,
            )
    return session


WriteSessionDep = Annotated[Session, Depends(write_session)]


async def writer(
    principal: Annotated[Principal, Depends(authenticated_writer)], _session: WriteSessionDep
) -> Principal:
    """A key with write scope, within its rate limits (401, 403 or 429 otherwise)."""
    return principal


WriterDep = Annotated[Principal, Depends(writer)]


async def reader(request: Request, session: SessionDep, settings: SettingsDep) -> None:
    """Reads are public unless AIGAP_PRIVATE_READS is set; then any valid key may read.

    The key is read from the headers directly, not through a security scheme, so the
    OpenAPI document does not claim that public reads need a key.
    """
    if settings.private_reads and request.method in ("GET", "HEAD"):
        # writes authenticate in `authenticated_writer`
        await anyio.to_thread.run_sync(_principal, session, _header_key(request))
