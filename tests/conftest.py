"""Test databases: a throwaway database per run, built by `alembic upgrade head`, seeded once.

Each test runs inside a transaction (and the app's commits inside savepoints of it) that is
rolled back afterwards, so no test sees another's writes. AIGAP_TEST_DATABASE picks the
backend: `sqlite` (default) or `postgresql` (AIGAP_TEST_POSTGRES_URL, a server where the
user may create databases).
"""

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from alembic import command
from api import SEEDS_DIR
from api.cli import alembic_config
from api.db import dispose_all, engine_for
from api.deps import get_session
from api.main import create_app
from api.services.models import clear_lag_cache
from api.services.records import clear_count_cache, data_version
from api.services.scorecard import clear_scorecard_cache
from api.services.seed import load
from api.settings import Settings
from api.web.data_version import read_data_version
from tests.live import throwaway_database

BACKEND = os.environ.get("AIGAP_TEST_DATABASE", "sqlite")

DatabaseFactory = Callable[[], AbstractContextManager[str]]


def pytest_report_header() -> str:
    return f"aigap test database: {BACKEND}"


def _throwaway_database(tmp_dir: Path) -> AbstractContextManager[str]:
    """An empty database that exists for the duration of the block."""
    if BACKEND not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"AIGAP_TEST_DATABASE must be sqlite or postgresql: {BACKEND}")
    return throwaway_database(BACKEND, tmp_dir)


@pytest.fixture(scope="session", autouse=True)
def close_every_engine() -> Iterator[None]:
    """No pooled connection outlives the session (the garbage collector would warn)."""
    yield
    dispose_all()


@pytest.fixture(scope="session")
def new_database(tmp_path_factory: pytest.TempPathFactory) -> DatabaseFactory:
    """Make further empty throwaway databases, e.g. to run migrations up and down."""

    def factory() -> AbstractContextManager[str]:
        return _throwaway_database(tmp_path_factory.mktemp("db"))

    return factory


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


@pytest.fixture(scope="session")
def database_url(new_database: DatabaseFactory) -> Iterator[str]:
    with new_database() as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = engine_for(database_url)
    with Session(engine) as session:
        load(session, SEEDS_DIR)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def fresh_computation_caches() -> None:
    """Forget computed answers between tests.

    They are cached per data version (the newest change id). Each test's writes are rolled
    back, and SQLite hands a rolled-back id out again, so two tests could see different data
    under one version. In a running service only committed ids are ever seen.
    """
    clear_lag_cache()
    clear_scorecard_cache()
    clear_count_cache()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


def use_test_session(app: FastAPI, session: Session) -> None:
    """Answer every request of `app` inside the test's transaction, data version included."""

    def session_in_test_transaction() -> Iterator[Session]:
        try:
            yield session
            session.commit()  # releases the savepoint; the test's transaction still rolls back
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = session_in_test_transaction
    app.dependency_overrides[read_data_version] = lambda: data_version(session)

    async def version_in_test_transaction() -> int:
        return data_version(session)

    app.state.data_version = version_in_test_transaction  # the read path's (api/web/read_path.py)
    app.state.read_sessions = contextmanager(session_in_test_transaction)
    app.state.key_sessions = lambda: nullcontext(session)  # keys checked before the body


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    use_test_session(app, session)
    with TestClient(app) as test_client:
        yield test_client
