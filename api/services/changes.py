"""The change feed: every write in commit order (writes are serialized by the write lock)."""

from datetime import datetime

from sqlmodel import Session, col, select

from api.errors import InvalidQuery
from api.models.changes import Change
from api.models.imports import ChangeFeed, ChangePublic
from api.services.kinds import BY_TABLE


def changes_since(
    session: Session, *, since: int, limit: int, kinds: list[str] | None = None
) -> ChangeFeed:
    statement = select(Change).where(col(Change.id) > since)
    if kinds:
        _refuse_unknown_kinds(kinds)
        statement = statement.where(col(Change.kind).in_(kinds))
    rows = session.exec(statement.order_by(col(Change.id)).limit(limit + 1)).all()
    page = rows[:limit]
    cursor = page[-1].id if page else since
    return ChangeFeed(
        items=[ChangePublic.model_validate(row, from_attributes=True) for row in page],
        next_cursor=str(cursor),
        has_more=len(rows) > limit,
    )


def _refuse_unknown_kinds(kinds: list[str]) -> None:
    """A poller with a misspelt kind would otherwise wait for writes that never come."""
    unknown = [kind for kind in kinds if kind not in BY_TABLE]
    if unknown:
        reason = (
            f"no record kind {', '.join(repr(k[:40]) for k in unknown[:10])}; "
            f"kinds are {', '.join(sorted(BY_TABLE))}"
        )
        raise InvalidQuery(reason, errors=[{"field": "query.kind", "reason": reason}])


def data_changed_at(session: Session) -> datetime | None:
    """When the newest change was made: the date of the data a data version names."""
    newest = select(Change.changed_at).order_by(col(Change.id).desc()).limit(1)
    return session.exec(newest).first()
