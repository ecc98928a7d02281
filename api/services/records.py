"""Queries on versioned records: lists with filters, sort, pages and as_of; one record;
its revisions; the data version. Every list query of the API goes through here."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails
from sqlalchemy import BigInteger, Boolean, ColumnElement, Integer, and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from api.errors import InvalidQuery, NotFound
from api.models.base import VersionFields
from api.models.changes import Change
from api.services.cache import VersionedCache
from api.services.revisions import current_filter


class Op(StrEnum):
    eq = "eq"  # comma-separated values match any
    ge = "ge"
    le = "le"


@dataclass(frozen=True)
class FilterSpec:
    """A query parameter that filters a list."""

    param: str
    column: str
    op: Op
    description: str
    kind: type = str  # str, date or the month pattern (str)
    pattern: str | None = None
    joined: bool = False  # the column belongs to the joined table


@dataclass(frozen=True)
class JoinSpec:
    """Columns a list borrows from another versioned table, at the same as_of."""

    model: type[VersionFields]
    local_key: str  # column of the listed table holding the other table's key
    columns: tuple[str, ...]


class DerivedFieldError(ValueError):
    """A field that a kind's `prepare` derives other fields from is wrong: reported against
    that field, like any other validation error."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class RecordKind:
    """One kind of record as the API lists it."""

    name: str  # singular, snake_case: operationIds and messages
    plural: str
    model: type[VersionFields]
    public: type[SQLModel]
    create: type[SQLModel] | None = None  # the body of a write; None: read-only
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = dict  # derived fields, pre-validation
    filters: tuple[FilterSpec, ...] = ()
    sort_fields: tuple[str, ...] = ("key",)
    default_sort: tuple[str, ...] = ("key",)
    join: JoinSpec | None = None
    fixed: dict[str, Any] = field(default_factory=dict)  # e.g. {"pillar": "talent"}
    latest_by: tuple[str, ...] = ()  # partition for mrv=N, ordered by period_end
    latest_column: str = "period_end"
    # Runs in the write's transaction after every API write of this kind, with the writer's
    # name: e.g. a registry write reclassifies the models it places.
    after_write: Callable[[Session, str], object] | None = None

    def filter(self, param: str) -> FilterSpec:
        return next(f for f in self.filters if f.param == param)

    def content(self, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(key, content) of a record to write, derived fields filled, validated.

        Raises pydantic's ValidationError, each error located at its field, a field that
        `prepare` derives from included (api/services/validation.py reports them for
        every door).
        """
        if self.create is None:
            raise ValueError(f"{self.plural} are read-only")
        # Before validation too: a model validator comparing two fields would otherwise
        # meet an infinity first, and name neither field.
        self._refuse_out_of_range(raw)
        try:
            prepared = self.prepare(dict(raw))
        except (ValueError, KeyError) as exc:
            location = (exc.field,) if isinstance(exc, DerivedFieldError) else ()
            error = ValueError(str(exc))
            details: InitErrorDetails = {
                "type": "value_error",
                "loc": location,
                "input": raw.get(location[0]) if location else raw,
                "ctx": {"error": error},
            }
            raise ValidationError.from_exception_data(self.create.__name__, [details]) from exc
        content = self.create.model_validate(prepared).model_dump()
        self._refuse_out_of_range(content)  # e.g. "1e309" in a CSV cell, parsed
        return content.pop("key"), content

    def _refuse_out_of_range(self, values: dict[str, Any]) -> None:
        errors = _out_of_range(self.model, values)
        if errors:
            assert self.create is not None
            raise ValidationError.from_exception_data(self.create.__name__, errors)


INT32 = 2**31 - 1  # PostgreSQL's integer and bigint
INT64 = 2**63 - 1


def _is_integer(column_type: Any) -> bool:
    return isinstance(column_type, Integer) and not isinstance(column_type, Boolean)


def _out_of_range(model: type[SQLModel], content: dict[str, Any]) -> list[InitErrorDetails]:
    """The same value rules for every door (API, CSV import, seeds): numbers are finite
    (JSON's NaN, Infinity and 1e309 parse as floats that no chart or sum survives), and
    integers fit their column."""
    columns = model.__table__.c  # type: ignore[attr-defined]
    errors: list[InitErrorDetails] = []
    for name, value in content.items():
        if isinstance(value, float) and not math.isfinite(value):
            errors.append({"type": "finite_number", "loc": (name,), "input": value})
        elif isinstance(value, int) and name in columns and _is_integer(columns[name].type):
            bound = INT64 if isinstance(columns[name].type, BigInteger) else INT32
            if not -bound - 1 <= value <= bound:
                errors.append(
                    {
                        "type": "less_than_equal" if value > 0 else "greater_than_equal",
                        "loc": (name,),
                        "input": value,
                        "ctx": {"le": bound} if value > 0 else {"ge": -bound - 1},
                    }
                )
    return errors


@dataclass(frozen=True)
class ListQuery:
    limit: int = 50
    page: int = 1
    sort: str | None = None
    as_of: datetime | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    mrv: int | None = None
    where: dict[str, Any] = field(default_factory=dict)  # column == value, e.g. a parent key

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True)
class Listing:
    items: list[dict[str, Any]]
    total: int


def _column(kind: RecordKind, name: str, joined: bool = False) -> Any:
    if kind.join is not None and (joined or name not in kind.model.model_fields):
        return getattr(kind.join.model, name)
    return getattr(kind.model, name)


def _order_by(kind: RecordKind, sort: str | None) -> list[Any]:
    fields = [s.strip() for s in sort.split(",")] if sort else list(kind.default_sort)
    order: list[Any] = []
    for raw in fields:
        name = raw.removeprefix("-")
        if not name or name not in kind.sort_fields:
            raise InvalidQuery(
                f"cannot sort {kind.plural} by {raw!r}; sortable fields: "
                + ", ".join(kind.sort_fields)
                + " (prefix - for descending)",
                errors=[{"field": "query.sort", "reason": f"unknown sort field {raw!r}"}],
            )
        column = col(_column(kind, name))
        order.append(column.desc() if raw.startswith("-") else column.asc())
    if "key" not in {f.removeprefix("-") for f in fields}:
        order.append(col(kind.model.key).asc())  # a stable tie-break: keys are unique
    return order


def _conditions(kind: RecordKind, query: ListQuery) -> list[ColumnElement[bool]]:
    conditions = [current_filter(kind.model, query.as_of), col(kind.model.retired).is_(False)]
    for name, value in {**kind.fixed, **query.where}.items():
        conditions.append(col(_column(kind, name)) == value)
    for param, value in query.filters.items():
        if value is None:
            continue
        spec = kind.filter(param)
        column = col(_column(kind, spec.column, spec.joined))
        if spec.op is Op.eq:
            values = [v.strip() for v in str(value).split(",") if v.strip()]
            if not values:
                raise InvalidQuery(
                    f"{param}: give a value, or leave the parameter out",
                    errors=[{"field": f"query.{param}", "reason": "empty value"}],
                )
            conditions.append(column.in_(values) if len(values) > 1 else column == values[0])
        elif spec.op is Op.ge:
            conditions.append(column >= value)
        else:
            conditions.append(column <= value)
    return conditions


def _own_columns(kind: RecordKind) -> list[Any]:
    return [kind.model.__table__.c[name] for name in kind.model.model_fields]  # type: ignore[attr-defined]


def _base_select(kind: RecordKind, query: ListQuery) -> Any:
    """Plain column rows, not ORM objects: a page of a hundred rows loads 5x faster."""
    if kind.join is None:
        return sa_select(*_own_columns(kind))
    other = kind.join.model
    columns = [getattr(other, c) for c in kind.join.columns]
    on = and_(
        col(other.key) == getattr(kind.model, kind.join.local_key),
        current_filter(other, query.as_of),
    )
    return sa_select(*_own_columns(kind), *columns).select_from(kind.model).outerjoin(other, on)


def _as_dict(kind: RecordKind, row: Any, as_of: datetime | None = None) -> dict[str, Any]:
    values = dict(zip(kind.model.model_fields, row, strict=False))
    if kind.join is not None:
        extra = tuple(row)[len(kind.model.model_fields) :]
        values.update(zip(kind.join.columns, extra, strict=True))
    if as_of is not None and values["valid_to"] is not None and values["valid_to"] > as_of:
        values["valid_to"] = None  # as it was then: no later revision existed yet
    return values


def list_records(
    session: Session, kind: RecordKind, query: ListQuery, data_version: int | None = None
) -> Listing:
    """A page of records and the number of all that match.

    With `data_version` the count is remembered for that version: counting a large
    filtered set is the expensive half of a page, and it cannot change until a write does.
    """
    conditions = _conditions(kind, query)
    statement = _base_select(kind, query).where(*conditions)
    if query.mrv is not None:
        statement = _latest_periods(kind, statement, query)
    if query.mrv is None and not _needs_join(kind, query):
        counted = select(func.count()).select_from(kind.model).where(*conditions)
    else:
        counted = select(func.count()).select_from(statement.subquery())
    total = _count(session, counted, None if data_version is None else (data_version, kind, query))
    order = _order_by(kind, query.sort)
    page = statement.order_by(*order).offset(query.offset).limit(query.limit)
    return Listing([_as_dict(kind, row, query.as_of) for row in session.execute(page)], total)


def _needs_join(kind: RecordKind, query: ListQuery) -> bool:
    """Whether a condition reads the joined table (the join never changes the count:
    it matches at most one current row)."""
    if kind.join is None:
        return False
    own = kind.model.model_fields
    if any(name not in own for name in {**kind.fixed, **query.where}):
        return True
    specs = [kind.filter(param) for param, value in query.filters.items() if value is not None]
    return any(spec.joined or spec.column not in own for spec in specs)


COUNT_CACHE_SIZE = 4096
_COUNTS: VersionedCache[int] = VersionedCache(COUNT_CACHE_SIZE)


def _count(
    session: Session, statement: Any, versioned: tuple[int, RecordKind, ListQuery] | None
) -> int:
    if versioned is None:
        return int(session.exec(statement).one())
    version, kind, query = versioned
    inputs = (  # what decides the count; page, limit and sort do not
        kind.name,
        repr(sorted(kind.fixed.items())),
        query.as_of,
        repr(sorted(query.filters.items())),
        query.mrv,
        repr(sorted(query.where.items())),
    )
    return _COUNTS.get(session, version, inputs, lambda: int(session.exec(statement).one()))


def clear_count_cache() -> None:
    _COUNTS.clear()


def _latest_periods(kind: RecordKind, statement: Any, query: ListQuery) -> Any:
    """Keep the rows among the latest `n` periods of each partition (World Bank's mrv)."""
    latest = col(_column(kind, kind.latest_column))
    rank = (
        func.dense_rank()
        .over(
            partition_by=[getattr(kind.model, c) for c in kind.latest_by],
            order_by=latest.desc(),
        )
        .label("period_rank")
    )
    ranked = statement.add_columns(rank).where(latest.is_not(None)).subquery()
    ids = select(ranked.c.id).where(ranked.c.period_rank <= query.mrv)
    return _base_select(kind, query).where(col(kind.model.id).in_(ids))


def get_record(
    session: Session, kind: RecordKind, key: str, as_of: datetime | None = None
) -> dict[str, Any]:
    statement = _base_select(kind, ListQuery(as_of=as_of)).where(
        col(kind.model.key) == key, current_filter(kind.model, as_of)
    )
    for name, value in kind.fixed.items():
        statement = statement.where(col(_column(kind, name)) == value)
    row = session.execute(statement).first()
    if row is None:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"no {kind.name.replace('_', ' ')} with key {key!r}{when}")
    record = _as_dict(kind, row, as_of)
    if record["retired"]:
        raise NotFound(
            f"{kind.name.replace('_', ' ')} {key!r} was retired at {record['valid_from']}; "
            "its history stays readable at /revisions"
        )
    return record


def list_revisions(
    session: Session, kind: RecordKind, key: str, as_of: datetime | None = None
) -> list[dict[str, Any]]:
    statement = _base_select(kind, ListQuery(as_of=as_of)).where(col(kind.model.key) == key)
    if as_of is not None:
        statement = statement.where(col(kind.model.valid_from) <= as_of)
    for name, value in kind.fixed.items():
        statement = statement.where(col(_column(kind, name)) == value)
    rows = session.execute(statement.order_by(col(kind.model.revision))).all()
    if not rows:
        raise NotFound(f"no {kind.name.replace('_', ' ')} with key {key!r}")
    return [_as_dict(kind, row, as_of) for row in rows]


def data_version(session: Session) -> int:
    """Increases with every write, in every process: the newest change id."""
    return int(session.exec(select(func.coalesce(func.max(Change.id), 0))).one() or 0)
