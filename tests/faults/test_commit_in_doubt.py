"""A COMMIT that gets no answer may still have been saved: the client is told so.

When the database stops answering after a write's COMMIT was sent, the server may have
made it durable just before, or may make it durable when it wakes; nobody can tell by the
deadline. Such a write is answered 503 `commit-in-doubt`, never the plain 503 that means
"not saved", whichever part of the service gives the answer."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from api.db import engine_for, finish
from api.deadlines import commit_outcome, request_deadline
from api.errors import CommitInDoubt
from api.services.auth import Principal
from api.settings import Settings
from api.web.failed_keys import FailedKeys
from api.web.intake import RequestIntake
from tests.asgi_client import InProcessClient
from tests.conftest import BACKEND
from tests.pg_cluster import PrivateCluster, private_cluster

postgresql_only = pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL")
IN_DOUBT = "https://aigap.dev/problems/commit-in-doubt"


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    if BACKEND != "postgresql":
        pytest.skip("needs PostgreSQL")
    with private_cluster() as running:
        yield running


@postgresql_only
def test_a_commit_sent_to_a_frozen_database_is_in_doubt_and_lands_on_thaw(
    cluster: PrivateCluster,
) -> None:
    engine = engine_for(cluster.admin_url, statement_timeout=5, connect_timeout=1)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE written (x integer)"))
        session = Session(engine)
        session.execute(text("INSERT INTO written VALUES (1)"))
        cluster.freeze()
        try:
            with request_deadline(0.5), pytest.raises(CommitInDoubt):
                finish(session, commit=True)
        finally:
            cluster.thaw()
        assert _eventually_counted(cluster) == 1  # the doubt was real: it was saved
    finally:
        engine.dispose()


@postgresql_only
def test_a_read_whose_commit_gets_no_answer_is_a_plain_503(cluster: PrivateCluster) -> None:
    engine = engine_for(cluster.admin_url, statement_timeout=5, connect_timeout=1)
    try:
        session = Session(engine)
        session.execute(text("SELECT 1"))
        cluster.freeze()
        try:
            with (
                request_deadline(0.5, writes=False),
                pytest.raises(OperationalError, match="did not answer"),
            ):
                finish(session, commit=True)
        finally:
            cluster.thaw()
    finally:
        engine.dispose()


def test_an_error_the_database_answered_is_not_in_doubt(database_url: str) -> None:
    """A COMMIT refused by the server (here a deferred foreign key) saved nothing."""
    engine = engine_for(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS doubt_child"))
        connection.execute(text("DROP TABLE IF EXISTS doubt_parent"))
        connection.execute(text("CREATE TABLE doubt_parent (id integer PRIMARY KEY)"))
        connection.execute(
            text(
                "CREATE TABLE doubt_child (parent integer REFERENCES doubt_parent (id) "
                "DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    try:
        session = Session(engine)
        session.execute(text("INSERT INTO doubt_child VALUES (7)"))
        with request_deadline(5), pytest.raises(IntegrityError, match=r"(?i)foreign key"):
            finish(session, commit=True)
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE doubt_child"))
            connection.execute(text("DROP TABLE doubt_parent"))


def _hanging_commit(_request: Request) -> PlainTextResponse:
    with commit_outcome():  # a COMMIT whose answer comes long after the deadline
        time.sleep(1.2)
    return PlainTextResponse("saved")


def _slow_after_commit(_request: Request) -> PlainTextResponse:
    with commit_outcome():  # a COMMIT answered at once...
        pass
    time.sleep(1.0)  # ...and an answer that takes past the deadline to build
    return PlainTextResponse("saved")


def _intake_client() -> TestClient:
    def nobody(*_: Any) -> Principal:
        raise AssertionError("no route here needs a key")

    intake = Middleware(
        RequestIntake,
        settings=Settings(request_timeout=0.2),
        authenticate=nobody,
        marker=nobody,
        failed_keys=FailedKeys(60),
    )
    routes = [
        Route("/", _hanging_commit, methods=["GET", "PUT"]),
        Route("/committed", _slow_after_commit, methods=["PUT"]),
    ]
    return InProcessClient(Starlette(routes=routes, middleware=[intake]))


def test_a_write_answered_at_its_deadline_while_committing_is_in_doubt() -> None:
    with _intake_client() as client:
        response = client.put("/", content=b"")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    problem = response.json()
    assert problem["type"] == IN_DOUBT
    assert "may or may not have been saved" in problem["detail"]


def test_a_write_whose_commit_was_answered_gets_its_own_answer_past_the_deadline() -> None:
    """Its writes are saved: a 503 would tell the client that they were not."""
    with _intake_client() as client:
        response = client.put("/committed", content=b"")
    assert response.status_code == 200
    assert response.text == "saved"


def test_a_read_answered_at_its_deadline_is_a_plain_503() -> None:
    with _intake_client() as client:
        response = client.get("/")
    assert response.status_code == 503
    assert response.json()["type"] != IN_DOUBT


def _eventually_counted(cluster: PrivateCluster) -> int:
    engine = engine_for(cluster.admin_url, connect_timeout=1)
    deadline = time.monotonic() + 15
    while True:
        try:
            with engine.connect() as connection:
                return int(connection.execute(text("SELECT count(*) FROM written")).scalar_one())
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
