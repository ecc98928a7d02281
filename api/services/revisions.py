"""Append-only writes: every change to a record is a new revision; nothing is overwritten."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, and_, or_
from sqlmodel import Session, SQLModel, col, select

from api.models.base import VERSION_COLUMNS, Operation, VersionFields, utcnow
from api.models.changes import Change
from api.services.bulk import close_rows, current_rows, gc_paused, insert_rows, one_of

V = TypeVar("V", bound=VersionFields)


@dataclass(frozen=True)
class WriteResult:
    key: str
    revision: int
    operation: Operation | None  # None: the content was identical, nothing was written


def content_of(row: SQLModel) -> dict[str, Any]:
    """A record's content: every column except the revision bookkeeping."""
    return {
        name: getattr(row, name) for name in type(row).model_fields if name not in VERSION_COLUMNS
    }


def current_filter(model: type[V], as_of: datetime | None = None) -> ColumnElement[bool]:
    """Rows that were the current revision at `as_of` (now when None)."""
    if as_of is None:
        return col(model.valid_to).is_(None)
    return and_(
        col(model.valid_from) <= as_of,
        or_(col(model.valid_to).is_(None), col(model.valid_to) > as_of),
    )


def get_current(
    session: Session, model: type[V], key: str, as_of: datetime | None = None
) -> V | None:
    statement = select(model).where(col(model.key) == key, current_filter(model, as_of))
    return session.exec(statement).first()


def get_current_many(
    session: Session, model: type[V], keys: Collection[str], *, chunk: int = 50_000
) -> dict[str, V]:
    """The current revision of each of `keys` that has one: one query per `chunk` keys."""
    wanted, key_column = list(keys), model.__table__.c.key  # type: ignore[attr-defined]
    found: dict[str, V] = {}
    for start in range(0, len(wanted), chunk):
        some = one_of(session, key_column, wanted[start : start + chunk], String())
        statement = select(model).where(some, current_filter(model))
        found.update((row.key, row) for row in session.exec(statement))
    return found


def list_revisions(session: Session, model: type[V], key: str) -> list[V]:
    statement = select(model).where(col(model.key) == key).order_by(col(model.revision))
    return list(session.exec(statement))


def _log(session: Session, model: type[V], row: V, operation: Operation, at: datetime) -> None:
    session.add(
        Change(
            kind=str(model.__tablename__),
            key=row.key,
            revision=row.revision,
            operation=operation,
            changed_at=at,
            changed_by=row.changed_by,
        )
    )


def write_revision(
    session: Session,
    model: type[V],
    key: str,
    content: dict[str, Any],
    *,
    changed_by: str | None = None,
    now: datetime | None = None,
) -> WriteResult:
    """Create the record, or add a revision when its content differs from the current one.

    Identical content writes nothing, which makes repeated loads idempotent. The unique
    (key, revision) constraint turns a concurrent revision of the same record into an
    IntegrityError for the loser instead of a lost update.
    """
    now = now or utcnow()
    current = get_current(session, model, key)
    if current is not None and not current.retired and content_of(current) == content:
        return WriteResult(key, current.revision, None)
    revision = 1 if current is None else current.revision + 1
    if current is not None:
        current.valid_to = now
        session.add(current)
    row = model(key=key, revision=revision, valid_from=now, changed_by=changed_by, **content)
    session.add(row)
    session.flush()
    operation = Operation.create if current is None else Operation.revise
    _log(session, model, row, operation, now)
    return WriteResult(key, revision, operation)


def retire(
    session: Session,
    model: type[V],
    key: str,
    *,
    changed_by: str | None = None,
    now: datetime | None = None,
) -> WriteResult | None:
    """Soft-delete: a last revision marked retired. Returns None when there is no such record."""
    now = now or utcnow()
    current = get_current(session, model, key)
    if current is None:
        return None
    if current.retired:
        return WriteResult(key, current.revision, None)
    current.valid_to = now
    session.add(current)
    row = model(
        key=key,
        revision=current.revision + 1,
        valid_from=now,
        changed_by=changed_by,
        retired=True,
        **content_of(current),
    )
    session.add(row)
    session.flush()
    _log(session, model, row, Operation.retire, now)
    return WriteResult(key, row.revision, Operation.retire)


def write_many(
    session: Session,
    model: type[V],
    contents: dict[str, dict[str, Any]],
    *,
    changed_by: str | None = None,
    now: datetime | None = None,
) -> list[WriteResult]:
    """write_revision for many records at once: one read of the current rows, bulk inserts.

    Same rules: identical content writes nothing, a change closes the current revision and
    adds the next one, and every new revision gets its row in the change feed.
    """
    now = now or utcnow()
    table = model.__table__  # type: ignore[attr-defined]
    session.flush()  # pending ORM work goes first, so the lookup and the rows below see it
    current = current_rows(session, table, list(contents))
    names = [name for name in model.model_fields if name not in VERSION_COLUMNS]
    values_of = _values_getter(table, names)
    results: list[WriteResult] = []
    closed: list[int] = []
    revisions: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    with gc_paused():
        for key, content in contents.items():
            values = values_of(content)
            existing = current.get(key)
            if existing is None:
                revision, operation = 1, Operation.create
            else:
                if not existing["retired"] and _same(existing, names, values, content):
                    results.append(WriteResult(key, existing["revision"], None))
                    continue
                revision, operation = existing["revision"] + 1, Operation.revise
                closed.append(existing["id"])
            revisions.append((*values, key, revision))
            changes.append((key, revision, operation))
            results.append(WriteResult(key, revision, operation))
        close_rows(session, table, closed, now)
        new = {"valid_from": now, "valid_to": None, "retired": False, "changed_by": changed_by}
        insert_rows(session, table, (*names, "key", "revision"), revisions, new)
        logged = {"kind": str(model.__tablename__), "changed_at": now, "changed_by": changed_by}
        changes_table = Change.__table__  # type: ignore[attr-defined]
        insert_rows(session, changes_table, ("key", "revision", "operation"), changes, logged)
    session.expire_all()  # ORM objects loaded before may be stale now
    return results


def _values_getter(table: Any, names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A record's content as a tuple in `names` order; a missing field takes its column's
    default, as an INSERT without it would."""
    if not names:
        return lambda _content: ()
    defaults = {}
    for name in names:
        default = table.c[name].default
        defaults[name] = default.arg if default is not None and default.is_scalar else None
    picked = itemgetter(*names)
    single = len(names) == 1

    def values(content: dict[str, Any]) -> tuple[Any, ...]:
        try:
            found = picked(content)
        except KeyError:
            return tuple(content.get(name, defaults[name]) for name in names)
        return (found,) if single else found

    return values


def _same(
    existing: dict[str, Any], names: list[str], values: tuple[Any, ...], content: dict[str, Any]
) -> bool:
    """content_of(existing) == content, on the row as read."""
    if len(content) != len(names) or any(name not in content for name in names):
        return False
    return all(existing[name] == value for name, value in zip(names, values, strict=True))
