"""Test databases: each worker's own copy of a template built once per run by `alembic
upgrade head` and the seed files.

Each test runs inside a transaction (and the app's commits inside savepoints of it) that is
rolled back afterwards, so no test sees another's writes. AIGAP_TEST_DATABASE picks the
backend: `sqlite` (default) or `postgresql` (AIGAP_TEST_POSTGRES_URL, a server where the
user may create databases).

The suite runs in parallel worker processes (pytest-xdist, `-n` in pyproject.toml; `-n 0`
runs it in one). The first process that needs the migrated, seeded template builds it,
under a lock; every worker then takes a copy (a file copy, or PostgreSQL's `CREATE DATABASE
... TEMPLATE`), as does every live server (`seeded_database`). The run's controller removes
the template at the end.
"""

import fcntl
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies import models as fastapi_dependency_models
from fastapi.dependencies import utils as fastapi_dependency_utils
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from api.commit_counter import discard_counter
from api.db import dispose_all, engine_for
from api.deps import get_session
from api.main import create_app
from api.services.models import clear_lag_cache
from api.services.records import clear_count_cache, data_version
from api.services.scorecard import clear_scorecard_cache
from api.settings import Settings
from api.web.data_version import read_data_version
from tests.asgi_client import InProcessClient
from tests.live import (
    POSTGRES_ADMIN_URL,
    migrate,
    migrate_and_seed,
    postgres_name,
    throwaway_database,
)
from tests.scheduling import LongestFileFirst, longest_first
from tests.shared_openapi import share_built_documents

# Where PYTHONDONTWRITEBYTECODE is set (these machines), pytest rewrote every test module's
# asserts again in every worker of every run: ~2 CPU-s a worker, measured with
# `pytest --collect-only -n 0` (5.3 s without the cache, 3.2 s with it). Its cache goes to
# tests/**/__pycache__ (ignored by git), each file checked against its source's mtime and size.
sys.dont_write_bytecode = False

BACKEND = os.environ.get("AIGAP_TEST_DATABASE", "sqlite")
# The run's name, set by its controller and inherited by its workers (and by the servers
# and nested test runs they start, which replace it with their own).
RUN = "AIGAP_TEST_RUN"
WORKERS = "AIGAP_TEST_WORKERS"

DatabaseFactory = Callable[[], AbstractContextManager[str]]


def pytest_report_header() -> str:
    return f"aigap test database: {BACKEND} (a migrated, seeded template, copied per worker)"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers() -> int:
    """`-n auto`: AIGAP_TEST_WORKERS if set, else one worker more than there are CPUs (at
    most eight): the tests wait for servers and subprocesses part of the time. On two
    cores the PostgreSQL suite took 132 s with two workers, 129 with three, 141 with four;
    SQLite 95 s with three, 99 with four."""
    chosen = os.environ.get(WORKERS)
    if chosen:
        return int(chosen)
    return min(8, (os.cpu_count() or 1) + 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked `long_running` first, longest first, so that the run does not end
    waiting on one long file begun last (tests/scheduling.py)."""
    longest_first(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LongestFileFirst | None:
    if config.getvalue("dist") != "loadfile":
        return None
    return LongestFileFirst(config, log)


def _controller(config: pytest.Config) -> bool:
    """The process that starts the run: not an xdist worker."""
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if _controller(config):
        os.environ[RUN] = uuid.uuid4().hex[:12]


def _run_home() -> Path:
    """Where the run's template and its lock live (shared by the run's workers)."""
    home = Path(tempfile.gettempdir()) / f"aigap-test-{os.environ[RUN]}"
    home.mkdir(exist_ok=True)
    return home


def _template_name() -> str:
    return f"aigap_template_{os.environ[RUN]}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _controller(config) or RUN not in os.environ:
        return
    home = Path(tempfile.gettempdir()) / f"aigap-test-{os.environ[RUN]}"
    if (home / "postgresql.ready").exists():
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_template_name()}" WITH (FORCE)'))
        admin.dispose()
        discard_counter(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{_template_name()}")
    shutil.rmtree(home, ignore_errors=True)


@contextmanager
def _run_lock(name: str = "lock") -> Iterator[Path]:
    home = _run_home()
    with open(home / name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield home
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


share_built_documents(_run_lock)


def _check_backend() -> None:
    if BACKEND not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"AIGAP_TEST_DATABASE must be sqlite or postgresql: {BACKEND}")


def _template_url() -> str:
    """The run's migrated, seeded template; built by whichever process asks first."""
    _check_backend()
    with _run_lock() as home:
        if BACKEND == "sqlite":
            url = f"sqlite:///{home / 'template.db'}"
        else:
            url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{_template_name()}"
        ready = home / f"{BACKEND}.ready"
        if not ready.exists():
            if BACKEND == "postgresql":
                admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{postgres_name(url)}"'))
                admin.dispose()
            migrate_and_seed(url)
            ready.touch()
    return url


@pytest.fixture(scope="session")
def template_url() -> str:
    return _template_url()


@pytest.fixture(scope="session", autouse=True)
def close_every_engine() -> Iterator[None]:
    """No pooled connection outlives the session (the garbage collector would warn)."""
    yield
    dispose_all()


@pytest.fixture(scope="session")
def new_database(tmp_path_factory: pytest.TempPathFactory) -> DatabaseFactory:
    """Make further empty throwaway databases, e.g. to run migrations up and down."""

    def factory() -> AbstractContextManager[str]:
        _check_backend()
        return throwaway_database(BACKEND, tmp_path_factory.mktemp("db"))

    return factory


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory, template_url: str) -> DatabaseFactory:
    """Make further throwaway copies of the migrated, seeded template, e.g. for a server."""

    def factory() -> AbstractContextManager[str]:
        return throwaway_database(BACKEND, tmp_path_factory.mktemp("db"), template=template_url)

    return factory


@pytest.fixture(scope="session")
def database_url(seeded_database: DatabaseFactory) -> Iterator[str]:
    """This worker's migrated, seeded database."""
    with seeded_database() as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_migrated_engine(new_database: DatabaseFactory) -> Iterator[Engine]:
    """An engine on a new database at the migration head, with no seeds."""
    with new_database() as url:
        migrate(url)
        engine = engine_for(url)
        yield engine
        engine.dispose()


def _forget_dependency_callables() -> None:
    """FastAPI remembers every dependency callable it has classified (lru_caches of 4096),
    and so every app and test session that such a closure holds: hundreds of megabytes
    over the suite, which each garbage collection then walks."""
    for value in vars(fastapi_dependency_models).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()
    _DEPENDANTS.clear()


_DEPENDANTS: dict[tuple[object, ...], Any] = {}
_get_dependant = fastapi_dependency_utils.get_dependant


def _dependant_once(**options: Any) -> Any:
    """FastAPI's get_dependant, remembered for the test.

    An app with any dependency override (every test's app has some: the test's session,
    its settings) makes FastAPI analyse every sub-dependency's signature again on every
    request, overridden or not (`solve_dependencies`); the served app has none. Its answer
    for the same callable is the same, so each is analysed once per test (forgotten with
    the callables above): a tenth of the in-process tests' CPU.
    """
    try:
        key = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in options.items())
        found = _DEPENDANTS.get(key)
    except TypeError:  # an unhashable option: analysed as FastAPI would
        return _get_dependant(**options)
    if found is None:
        found = _DEPENDANTS[key] = _get_dependant(**options)
    return found


fastapi_dependency_utils.get_dependant = _dependant_once


@pytest.fixture(autouse=True)
def fresh_computation_caches() -> Iterator[None]:
    """Forget computed answers between tests.

    They are cached per data version (the newest change id). Each test's writes are rolled
    back, and SQLite hands a rolled-back id out again, so two tests could see different data
    under one version. In a running service only committed ids are ever seen.
    """
    clear_lag_cache()
    clear_scorecard_cache()
    clear_count_cache()
    yield
    _forget_dependency_callables()


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
    app.state.async_reads = None  # a session of its own would not see the test's rows
    app.state.key_sessions = lambda: nullcontext(session)  # keys checked before the body


class WarmApp:
    """The `client` fixture's app: a new app for every test, on routes built once.

    FastAPI builds each included route's state (its dependencies, its pydantic adapters) on
    an app's first requests; with an app per test, that was three quarters of the suite's
    time. So the first test's app is kept, and each later test gets it back carrying every
    attribute of a newly created app but the router: new state, response cache, failed-key
    counts, middleware, exception handlers and dependency overrides; the same routes. A test
    that adds a route spoils it for the next, which then starts again with a new app.
    """

    def __init__(self) -> None:
        self.app: FastAPI | None = None
        self.settings: Settings | None = None
        self.routes: list[object] = []

    def new(self, settings: Settings) -> FastAPI:
        app = create_app(settings)
        warm = self.app
        if warm is None or settings != self.settings:
            self.app, self.settings, self.routes = app, settings, list(app.router.routes)
            return app
        fresh = {name: value for name, value in vars(app).items() if name != "router"}
        for name in [name for name in vars(warm) if name not in fresh and name != "router"]:
            delattr(warm, name)
        vars(warm).update(fresh)
        return warm

    def returned(self) -> None:
        if self.app is not None and list(self.app.router.routes) != self.routes:
            self.app = None


@pytest.fixture(scope="session")
def warm_app() -> WarmApp:
    return WarmApp()


@pytest.fixture
def client(session: Session, settings: Settings, warm_app: WarmApp) -> Iterator[TestClient]:
    app = warm_app.new(settings)
    use_test_session(app, session)
    try:
        with InProcessClient(app) as test_client:
            yield test_client
    finally:
        warm_app.returned()
