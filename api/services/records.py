"""Queries on versioned records: lists with filters, sort, pages and as_of; one record;
its revisions; the data version. Every list query of the API goes through here."""

import math
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from itertools import accumulate
from typing import Any

from cachetools import LRUCache
from pydantic import ValidationError
from pydantic_core import InitErrorDetails
from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    func,
    or_,
)
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, SQLModel, col, select

from api.errors import InvalidQuery, NotFound
from api.models.base import COUNTRY_PATTERN, VersionFields
from api.models.changes import Change
from api.models.registry import place_problem
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
    choices: tuple[str, ...] = ()  # a closed vocabulary (the pattern admits only these)


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
    # A NOT NULL column whose `IS NOT NULL` a list's count adds to its conditions: a
    # partial index with that condition serves counts and is never chosen for a page.
    count_marker: str | None = None
    # A column whose `>=` filter's counts are read off one histogram of the column per
    # data version and other (single, equal) filters: a broad filter asked from many dates
    # costs one grouped count (records._count_from_histogram).
    count_histogram: str | None = None

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
        content = _validated(self.create, prepared)
        self._refuse_out_of_range(content)  # e.g. "1e309" in a CSV cell, parsed
        self._refuse_unknown_places(content)
        return content.pop("key"), content

    def _refuse_unknown_places(self, content: dict[str, Any]) -> None:
        """A place code of the right shape that names no place ("ZZ", "US-XX") would be a
        country of its own in every total and comparison."""
        assert self.create is not None
        errors: list[InitErrorDetails] = [
            {"type": "value_error", "loc": (name,), "input": code, "ctx": {"error": problem}}
            for name in _place_fields(self.create)
            if isinstance(code := content.get(name), str)
            and (problem := place_problem(code)) is not None
        ]
        if errors:
            raise ValidationError.from_exception_data(self.create.__name__, errors)

    def _refuse_out_of_range(self, values: dict[str, Any]) -> None:
        errors = _out_of_range(self.model, values)
        if errors:
            assert self.create is not None
            raise ValidationError.from_exception_data(self.create.__name__, errors)


def _validated(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """`model.model_validate(values).model_dump()`, validated as `BaseModel.__init__`
    validates, into a new instance: SQLModel's model_validate copies the instance's dict
    around the same call, and its `__init__` validates through a second entry; both were
    a fifth of a CSV import's time."""
    instance = model.__new__(model)
    model.__pydantic_validator__.validate_python(values, self_instance=instance)
    return model.__pydantic_serializer__.to_python(instance)  # type: ignore[no-any-return]


@cache
def _place_fields(model: type[SQLModel]) -> tuple[str, ...]:
    """The fields that hold a place code: those with COUNTRY_PATTERN's shape."""
    return tuple(
        name
        for name, info in model.model_fields.items()
        if any(getattr(rule, "pattern", None) == COUNTRY_PATTERN for rule in info.metadata)
    )


INT32 = 2**31 - 1  # PostgreSQL's integer and bigint
INT64 = 2**63 - 1


def _is_integer(column_type: Any) -> bool:
    return isinstance(column_type, Integer) and not isinstance(column_type, Boolean)


@cache
def _integer_bounds(model: type[SQLModel]) -> dict[str, int]:
    """The largest value each integer column of the model's table holds."""
    return {
        column.name: INT64 if isinstance(column.type, BigInteger) else INT32
        for column in model.__table__.c  # type: ignore[attr-defined]
        if _is_integer(column.type)
    }


def _out_of_range(model: type[SQLModel], content: dict[str, Any]) -> list[InitErrorDetails]:
    """The same value rules for every door (API, CSV import, seeds): numbers are finite
    (JSON's NaN, Infinity and 1e309 parse as floats that no chart or sum survives), and
    integers fit their column."""
    bounds = _integer_bounds(model)
    errors: list[InitErrorDetails] = []
    for name, value in content.items():
        if value is None or value.__class__ is str:
            continue  # most values, skipped before the checks below
        if isinstance(value, float) and not math.isfinite(value):
            errors.append({"type": "finite_number", "loc": (name,), "input": value})
        elif isinstance(value, int) and name in bounds:
            bound = bounds[name]
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
    named: set[str] = set()
    for raw in fields:
        name = raw.removeprefix("-")
        if not name or name not in kind.sort_fields:
            raise InvalidQuery(
                f"cannot sort {kind.plural} by {raw!r}; sortable fields: "
                + ", ".join(kind.sort_fields)
                + " (prefix - for descending)",
                errors=[{"field": "query.sort", "reason": f"unknown sort field {raw!r}"}],
            )
        if name in named:
            raise InvalidQuery(
                f"sort names {name!r} twice; name each field at most once",
                errors=[{"field": "query.sort", "reason": f"{name!r} named twice"}],
            )
        named.add(name)
        column = col(_column(kind, name))
        order.append(column.desc() if raw.startswith("-") else column.asc())
    if "key" not in {f.removeprefix("-") for f in fields}:
        order.append(col(kind.model.key).asc())  # a stable tie-break: keys are unique
    return order


def _filter_values(spec: FilterSpec, value: Any) -> Any:
    if spec.op is not Op.eq:
        return value
    values = [v.strip() for v in str(value).split(",") if v.strip()]
    if not values:
        raise InvalidQuery(
            f"{spec.param}: give a value, or leave the parameter out",
            errors=[{"field": f"query.{spec.param}", "reason": "empty value"}],
        )
    return values if len(values) > 1 else values[0]


def _current_at(model: type[VersionFields], as_of: bool) -> ColumnElement[bool]:
    """current_filter with the time as a bound parameter, so the statement can be reused."""
    if not as_of:
        return current_filter(model)
    moment: BindParameter[datetime] = bindparam("as_of")
    return and_(
        col(model.valid_from) <= moment,
        or_(col(model.valid_to).is_(None), col(model.valid_to) > moment),
    )


@dataclass(frozen=True)
class _Shape:
    """What decides a list's SQL; the values are bound at execution."""

    kind: str
    filters: tuple[tuple[str, bool], ...]  # (param, several values) of each given filter
    where: tuple[str, ...]
    as_of: bool
    mrv: bool
    sort: str


@dataclass(frozen=True)
class _Statements:
    page: Any
    count: Any


def _conditions(kind: RecordKind, shape: _Shape) -> list[ColumnElement[bool]]:
    conditions = [_current_at(kind.model, shape.as_of), col(kind.model.retired).is_(False)]
    for name, value in kind.fixed.items():
        conditions.append(col(_column(kind, name)) == value)
    for name in shape.where:
        conditions.append(col(_column(kind, name)) == bindparam(f"w_{name}"))
    for param, several in shape.filters:
        spec = kind.filter(param)
        column = col(_column(kind, spec.column, spec.joined))
        bound: BindParameter[Any] = bindparam(f"f_{param}", expanding=several)
        if spec.op is Op.eq:
            conditions.append(column.in_(bound) if several else column == bound)
        elif spec.op is Op.ge:
            conditions.append(column >= bound)
        else:
            conditions.append(column <= bound)
    return conditions


def _own_columns(kind: RecordKind) -> list[Any]:
    return [kind.model.__table__.c[name] for name in kind.model.model_fields]  # type: ignore[attr-defined]


def _base_select(kind: RecordKind, as_of: ColumnElement[bool] | None = None) -> Any:
    """Plain column rows, not ORM objects: a page of a hundred rows loads 5x faster."""
    if kind.join is None:
        return sa_select(*_own_columns(kind))
    other = kind.join.model
    columns = [getattr(other, c) for c in kind.join.columns]
    on = and_(
        col(other.key) == getattr(kind.model, kind.join.local_key),
        as_of if as_of is not None else current_filter(other),
    )
    return sa_select(*_own_columns(kind), *columns).select_from(kind.model).outerjoin(other, on)


def _counting(kind: RecordKind, conditions: list[ColumnElement[bool]]) -> list[Any]:
    """A count's conditions: the list's, and the kind's count marker."""
    if kind.count_marker is None:
        return conditions
    return [*conditions, col(_column(kind, kind.count_marker)).is_not(None)]


def _build(kind: RecordKind, shape: _Shape) -> _Statements:
    conditions = _conditions(kind, shape)
    joined_as_of = _current_at(kind.join.model, shape.as_of) if kind.join else None
    statement = _base_select(kind, joined_as_of).where(*conditions)
    if shape.mrv:
        statement = _latest_periods(kind, statement, joined_as_of)
    if not shape.mrv and not _needs_join(kind, shape):
        counted = select(func.count()).select_from(kind.model).where(*_counting(kind, conditions))
    else:
        counted = select(func.count()).select_from(statement.subquery())
    order = _order_by(kind, shape.sort or None)
    page = statement.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))
    return _Statements(page, counted)


STATEMENT_CACHE_SIZE = 1024
_STATEMENTS: LRUCache[_Shape, _Statements] = LRUCache(maxsize=STATEMENT_CACHE_SIZE)
_STATEMENTS_LOCK = threading.Lock()


def _statements(kind: RecordKind, shape: _Shape) -> _Statements:
    """Each shape's statements are built once: building them costs more than running a
    one-series page on SQLite."""
    with _STATEMENTS_LOCK:
        built = _STATEMENTS.get(shape)
    if built is None:
        built = _build(kind, shape)
        with _STATEMENTS_LOCK:
            _STATEMENTS[shape] = built
    return built


def _as_dict(kind: RecordKind, row: Any, as_of: datetime | None = None) -> dict[str, Any]:
    values = dict(zip(_names(kind), row, strict=True))
    if as_of is not None and values["valid_to"] is not None and values["valid_to"] > as_of:
        values["valid_to"] = None  # as it was then: no later revision existed yet
    return values


def _names(kind: RecordKind) -> tuple[str, ...]:
    return (*kind.model.model_fields, *(kind.join.columns if kind.join else ()))


def list_records(
    session: Session, kind: RecordKind, query: ListQuery, data_version: int | None = None
) -> Listing:
    """A page of records and the number of all that match.

    With `data_version` the count is remembered for that version: counting a large
    filtered set is the expensive half of a page, and it cannot change until a write does.
    """
    if query.sort:
        _order_by(kind, query.sort)  # an unknown field is a 400 before anything is cached
    given = {
        param: _filter_values(kind.filter(param), value)
        for param, value in query.filters.items()
        if value is not None
    }
    shape = _Shape(
        kind=kind.name,
        filters=tuple((param, isinstance(v, list)) for param, v in sorted(given.items())),
        where=tuple(sorted(query.where)),
        as_of=query.as_of is not None,
        mrv=query.mrv is not None,
        sort=query.sort or "",
    )
    statements = _statements(kind, shape)
    params: dict[str, Any] = {f"f_{param}": value for param, value in given.items()}
    params.update({f"w_{name}": value for name, value in query.where.items()})
    if query.as_of is not None:
        params["as_of"] = query.as_of
    if query.mrv is not None:
        params["mrv"] = query.mrv
    connection = session.connection()

    def count() -> int:
        if data_version is not None:
            histogram = _histogram_of(kind, shape, given)
            if histogram is not None:
                counted = _count_from_histogram(session, kind, histogram, given, data_version)
                if counted is not None:
                    return counted
        return int(connection.execute(statements.count, params).scalar_one())

    total = _count(session, count, None if data_version is None else (data_version, kind, query))
    rows = connection.execute(
        statements.page, {**params, "offset": query.offset, "limit": query.limit}
    )
    names = _names(kind)
    if query.as_of is None:
        return Listing([dict(zip(names, row, strict=True)) for row in rows], total)
    return Listing([_as_dict(kind, row, query.as_of) for row in rows], total)


@dataclass(frozen=True)
class _Histogram:
    shape: _Shape  # the list's but for the `>=` filter: what the histogram is of
    param: str  # the `>=` filter, read off the histogram


# A histogram with more distinct values than this is not kept (its count counts the rows):
# at most 128 x HISTOGRAM_MAX_KEYS values in memory, about 20 MB.
HISTOGRAM_MAX_KEYS = 2048
_HISTOGRAMS: VersionedCache[tuple[list[Any], list[int]] | None] = VersionedCache(128)


def _histogram_of(kind: RecordKind, shape: _Shape, given: dict[str, Any]) -> _Histogram | None:
    """Whether this count can be read off a histogram of `kind.count_histogram`: a `>=`
    filter on that column (a date) and nothing else but single values of equal filters."""
    if kind.count_histogram is None or kind.fixed or shape.where or shape.as_of or shape.mrv:
        return None
    specs = {param: kind.filter(param) for param, _ in shape.filters}
    ranged = [
        param
        for param, spec in specs.items()
        if spec.op is Op.ge and spec.column == kind.count_histogram and not spec.joined
    ]
    if len(ranged) != 1 or type(given[ranged[0]]) is not date or _needs_join(kind, shape):
        return None
    others = tuple(item for item in shape.filters if item[0] != ranged[0])
    if any(several or specs[param].op is not Op.eq for param, several in others):
        return None
    return _Histogram(replace(shape, filters=others, sort=""), ranged[0])


def _count_from_histogram(
    session: Session, kind: RecordKind, histogram: _Histogram, given: dict[str, Any], version: int
) -> int | None:
    """Rows on or after the `>=` filter's date: the histogram's tail, remembered per data
    version (so never stale: any write changes the version). None: too many distinct
    values to keep."""
    params = {f"f_{param}": given[param] for param, _ in histogram.shape.filters}
    inputs = (kind.name, histogram.shape, repr(sorted(params.items())))
    kept = _HISTOGRAMS.get(
        session, version, inputs, lambda: _histogram(session, kind, histogram.shape, params)
    )
    if kept is None:
        return None
    keys, tails = kept
    return tails[bisect_left(keys, given[histogram.param])]


def _histogram(
    session: Session, kind: RecordKind, shape: _Shape, params: dict[str, Any]
) -> tuple[list[Any], list[int]] | None:
    """The column's distinct values in order, and for each the rows at it or after it;
    None past HISTOGRAM_MAX_KEYS values."""
    assert kind.count_histogram is not None
    column = col(_column(kind, kind.count_histogram))
    statement = (
        sa_select(column, func.count())
        .where(*_counting(kind, _conditions(kind, shape)), column.is_not(None))
        .group_by(column)
        .order_by(column)
    )
    result = session.connection().execute(statement, params)
    rows = result.fetchmany(HISTOGRAM_MAX_KEYS + 1)
    result.close()  # the rest is not read: the statement must not stay open
    if len(rows) > HISTOGRAM_MAX_KEYS:
        return None
    tails = list(accumulate(int(row[1]) for row in reversed(rows)))[::-1]
    return [row[0] for row in rows], [*tails, 0]


def _needs_join(kind: RecordKind, shape: _Shape) -> bool:
    """Whether a condition reads the joined table (the join never changes the count:
    it matches at most one current row)."""
    if kind.join is None:
        return False
    own = kind.model.model_fields
    if any(name not in own for name in (*kind.fixed, *shape.where)):
        return True
    specs = [kind.filter(param) for param, _ in shape.filters]
    return any(spec.joined or spec.column not in own for spec in specs)


COUNT_CACHE_SIZE = 4096
_COUNTS: VersionedCache[int] = VersionedCache(COUNT_CACHE_SIZE)


def _count(
    session: Session,
    count: Callable[[], int],
    versioned: tuple[int, RecordKind, ListQuery] | None,
) -> int:
    if versioned is None:
        return count()
    version, kind, query = versioned
    inputs = (  # what decides the count; page, limit and sort do not
        kind.name,
        repr(sorted(kind.fixed.items())),
        query.as_of,
        repr(sorted(query.filters.items())),
        query.mrv,
        repr(sorted(query.where.items())),
    )
    return _COUNTS.get(session, version, inputs, count)


def clear_count_cache() -> None:
    _COUNTS.clear()
    _HISTOGRAMS.clear()


def _latest_periods(kind: RecordKind, statement: Any, joined_as_of: Any) -> Any:
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
    ids = select(ranked.c.id).where(ranked.c.period_rank <= bindparam("mrv"))
    return _base_select(kind, joined_as_of).where(col(kind.model.id).in_(ids))


def get_record(
    session: Session, kind: RecordKind, key: str, as_of: datetime | None = None
) -> dict[str, Any]:
    joined = current_filter(kind.join.model, as_of) if kind.join else None
    statement = _base_select(kind, joined).where(
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
    joined = current_filter(kind.join.model, as_of) if kind.join else None
    statement = _base_select(kind, joined).where(col(kind.model.key) == key)
    if as_of is not None:
        statement = statement.where(col(kind.model.valid_from) <= as_of)
    for name, value in kind.fixed.items():
        statement = statement.where(col(_column(kind, name)) == value)
    rows = session.execute(statement.order_by(col(kind.model.revision))).all()
    if not rows:
        raise NotFound(f"no {kind.name.replace('_', ' ')} with key {key!r}")
    return [_as_dict(kind, row, as_of) for row in rows]


# Asked on every request that the response cache might answer: the read path runs it on a
# bare connection, since an ORM session around it cost more than the query itself.
DATA_VERSION = select(func.coalesce(func.max(Change.id), 0))


def data_version(reader: Session | Connection) -> int:
    """Increases with every write, in every process: the newest change id. A session's
    own unflushed writes count (it flushes first, as any query of it does)."""
    if isinstance(reader, Session):
        return int(reader.exec(DATA_VERSION).one() or 0)
    return int(reader.execute(DATA_VERSION).scalar_one() or 0)
