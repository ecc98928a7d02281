"""Writes need a key with write scope; keys are never stored in clear."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.main import create_app
from api.models.auth import ApiKey, Scope
from api.services.auth import create_key, revoke_key
from api.settings import Settings
from tests.asgi_client import InProcessClient
from tests.conftest import use_test_session
from tests.writes.helpers import bearer, observation


def _post(client: TestClient, headers: dict[str, str] | None = None) -> int:
    response = client.post("/v1/observations", json=observation(), headers=headers or {})
    return int(response.status_code)


def test_no_key_is_401_with_a_challenge(client: TestClient) -> None:
    response = client.post("/v1/observations", json=observation())
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_revoked_and_wrong_scope_keys(client: TestClient, session: Session) -> None:
    assert _post(client, {"Authorization": "Bearer aigap_not-a-real-key-at-all"}) == 401
    assert _post(client, bearer(session, "reader", Scope.read)) == 403
    headers = bearer(session, "leaver")
    revoke_key(session, "leaver")
    assert _post(client, headers) == 401


def test_x_api_key_header_works(client: TestClient, session: Session) -> None:
    _record, key = create_key(session, name="header-user", scope=Scope.write)
    assert _post(client, {"X-API-Key": key}) == 201


def test_keys_are_stored_only_as_hashes(session: Session) -> None:
    _record, key = create_key(session, name="secretive", scope=Scope.admin)
    stored = session.exec(select(ApiKey).where(ApiKey.name == "secretive")).one()
    assert key not in stored.model_dump_json()
    assert stored.key_hash != key
    assert len(stored.key_hash) == 64
    assert key.startswith(stored.prefix)


def test_reads_are_public_unless_made_private(database_url: str, session: Session) -> None:
    app = create_app(Settings(database_url=database_url, private_reads=True))
    use_test_session(app, session)
    with InProcessClient(app) as private:
        assert private.get("/v1/sources").status_code == 401
        assert (
            private.get("/v1/sources", headers=bearer(session, "r", Scope.read)).status_code == 200
        )
        # that answer is now remembered; it is still only for callers with a key
        assert private.get("/v1/sources").status_code == 401
        assert private.get("/healthz").status_code == 200
