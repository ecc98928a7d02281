"""Append-only writes: every change to a record is a new revision; nothing is overwritten."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, or_
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
