"""A counter that every server process on this host reads and a writer bumps after it
commits: how a PostgreSQL worker learns of a write taken by another worker of this host
without asking the database.

An 8-byte file in shared memory (/dev/shm where there is one), one per database URL and
user. Reading it is a memory access; bumping it takes the file's lock. A process on another
host, or a tool that writes around the service, is heard of by LISTEN/NOTIFY instead
(api/web/postgres_commits.py), a moment later; this counter is what makes a write answered
by one worker visible to the next request on any other, with no moment in between.
"""

import fcntl
import functools
import hashlib
import mmap
import os
import tempfile
from pathlib import Path

from sqlalchemy import Connection, Engine, make_url

from api.settings import normalize_database_url

SIZE = 8


def _directory() -> Path:
    shared = Path("/dev/shm")
    if shared.is_dir() and os.access(shared, os.W_OK):
        return shared
    return Path(tempfile.gettempdir())


class CommitCounter:
    def __init__(self, path: Path) -> None:
        self.path = path
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            with _locked(descriptor):
                if os.fstat(descriptor).st_size < SIZE:
                    os.ftruncate(descriptor, SIZE)
            self._map = mmap.mmap(descriptor, SIZE)
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor

    def read(self) -> int:
        return int.from_bytes(self._map[:SIZE], "little")

    def bump(self) -> None:
        with _locked(self._descriptor):
            self._map[:SIZE] = ((self.read() + 1) % 2**64).to_bytes(SIZE, "little")


class _locked:
    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def __enter__(self) -> None:
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)

    def __exit__(self, *_exc: object) -> None:
        fcntl.flock(self._descriptor, fcntl.LOCK_UN)


def counter_path(database_url: str) -> Path:
    """Where this host's counter for a database lives."""
    canonical = make_url(normalize_database_url(database_url))
    key = canonical.render_as_string(hide_password=False)
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return _directory() / f"aigap-commits-{os.getuid()}-{digest}"


@functools.cache
def counter_for(database_url: str) -> CommitCounter | None:
    """This host's counter for a database (None where the file cannot be made: then the
    readers ask the database instead)."""
    try:
        return CommitCounter(counter_path(database_url))
    except OSError:
        return None


def discard_counter(database_url: str) -> None:
    """Remove a dropped database's counter file (processes that map it keep their copy)."""
    counter_path(database_url).unlink(missing_ok=True)


def counter_of(bind: Engine | Connection) -> CommitCounter | None:
    """The counter of a PostgreSQL database. SQLite needs none: `PRAGMA data_version`
    tells every process of a commit."""
    if bind.dialect.name != "postgresql":
        return None
    engine = bind.engine if isinstance(bind, Connection) else bind
    return counter_for(engine.url.render_as_string(hide_password=False))


def announce_commit(bind: Engine | Connection) -> None:
    """After a write's commit (or an attempt whose outcome is unknown): tell this host."""
    counter = counter_of(bind)
    if counter is not None:
        counter.bump()
