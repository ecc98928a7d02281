"""Append-only writes: every change to a record is a new revision; nothing is overwritten."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, insert, or_, update
from sqlmodel import Session, SQLModel, col, select

from api.models.base import VERSION_COLUMNS, Operation, VersionFields, utcnow
from api.models.changes import Change

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
    chunk: int = 500,
) -> list[WriteResult]:
    """write_revision for many records at once: one read per chunk of keys, bulk inserts.

    Same rules: identical content writes nothing, a change is a new revision.
    """
    now = now or utcnow()
    keys = list(contents)
    current: dict[str, V] = {}
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        statement = select(model).where(col(model.key).in_(part), col(model.valid_to).is_(None))
        current.update((row.key, row) for row in session.exec(statement))
    results: list[WriteResult] = []
    closed: list[int] = []
    revisions: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for key, content in contents.items():
        existing = current.get(key)
        if existing is not None and not existing.retired and content_of(existing) == content:
            results.append(WriteResult(key, existing.revision, None))
            continue
        revision = 1 if existing is None else existing.revision + 1
        if existing is not None and existing.id is not None:
            closed.append(existing.id)
        operation = Operation.create if existing is None else Operation.revise
        revisions.append(
            {
                **content,
                "key": key,
                "revision": revision,
                "valid_from": now,
                "valid_to": None,
                "retired": False,
                "changed_by": changed_by,
            }
        )
        changes.append(
            {
                "kind": str(model.__tablename__),
                "key": key,
                "revision": revision,
                "operation": operation,
                "changed_at": now,
                "changed_by": changed_by,
            }
        )
        results.append(WriteResult(key, revision, operation))
    session.flush()  # pending ORM work goes first, so the rows below see it
    table = model.__table__  # type: ignore[attr-defined]
    for start in range(0, len(closed), chunk):
        session.execute(
            update(table).where(table.c.id.in_(closed[start : start + chunk])).values(valid_to=now)
        )
    if revisions:
        session.execute(insert(table), revisions)
        session.execute(insert(Change.__table__), changes)  # type: ignore[attr-defined]
    session.expire_all()  # ORM objects loaded above may be stale now
    return results
