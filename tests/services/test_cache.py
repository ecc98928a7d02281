"""One caching helper: an answer is remembered per database, data version and inputs."""

from pathlib import Path

from sqlalchemy import create_engine
from sqlmodel import Session

from api.services.cache import VersionedCache


def test_keyed_by_database_version_and_inputs(tmp_path: Path) -> None:
    cache: VersionedCache[str] = VersionedCache(maxsize=8)
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name

    one = Session(create_engine(f"sqlite:///{tmp_path / 'one.db'}"))
    two = Session(create_engine(f"sqlite:///{tmp_path / 'two.db'}"))
    assert cache.get(one, 7, ("a",), lambda: compute("one")) == "one"
    assert cache.get(one, 7, ("a",), lambda: compute("again")) == "one"
    assert cache.get(two, 7, ("a",), lambda: compute("two")) == "two"  # same version elsewhere
    assert cache.get(one, 8, ("a",), lambda: compute("newer")) == "newer"
    assert cache.get(one, 7, ("b",), lambda: compute("other")) == "other"
    assert calls == ["one", "two", "newer", "other"]


def test_least_recently_used_goes_first(tmp_path: Path) -> None:
    cache: VersionedCache[int] = VersionedCache(maxsize=2)
    session = Session(create_engine(f"sqlite:///{tmp_path / 'db.db'}"))
    for version in (1, 2, 3):
        cache.get(session, version, (), lambda v=version: v)  # type: ignore[misc]
    assert len(cache) == 2
    assert cache.get(session, 1, (), lambda: -1) == -1  # evicted, computed again
    cache.clear()
    assert len(cache) == 0
