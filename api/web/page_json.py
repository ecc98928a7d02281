"""A page of records as JSON, straight from the rows the service read.

The rows were validated when they were written; validating them again on every read only
to serialize them cost ~6 µs a row (0.6 ms a page of a hundred, more than SQLite takes to
find it). orjson writes the same bytes pydantic would (tests/api/test_page_json.py holds
that for every kind on both databases): fields in the public model's order, UTC datetimes
with `Z`, floats at their shortest. A value orjson cannot write falls back to pydantic.
"""

import types
from datetime import date, datetime
from typing import Any, Union, get_args, get_origin

import orjson
from pydantic import TypeAdapter
from sqlmodel import SQLModel

from api.models.pages import Page

PLAIN = (str, int, float, bool, date, datetime, type(None))
OPTIONS = orjson.OPT_UTC_Z


def _members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _plain(annotation: Any) -> bool:
    """str, numbers, booleans, dates and their str/int enums, optional or not."""
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, PLAIN):
            continue
        if get_origin(member) is list and all(_plain(a) for a in get_args(member)):
            continue
        return False
    return True


class PageEncoder:
    """Encodes pages of one public model."""

    def __init__(self, public: type[SQLModel]) -> None:
        self.names = tuple(public.model_fields)
        self._adapter: TypeAdapter[Any] = TypeAdapter(Page[public])  # type: ignore[valid-type]
        fields = public.model_fields.values()
        decorators = public.__pydantic_decorators__
        self.direct = (
            all(_plain(f.annotation) for f in fields)
            and not public.model_computed_fields
            and not decorators.field_serializers
            and not decorators.model_serializers
        )
        # pydantic writes an int read into a float field as a float (1.0, not 1)
        self._floats = tuple(
            name
            for name, f in public.model_fields.items()
            if float in _members(f.annotation) and int not in _members(f.annotation)
        )

    def encode(self, items: list[dict[str, Any]], total: int, limit: int, page: int) -> bytes:
        if self.direct:
            rows = [self._row(item) for item in items]
            try:
                return orjson.dumps(
                    {"items": rows, "total": total, "limit": limit, "page": page}, option=OPTIONS
                )
            except orjson.JSONEncodeError:
                pass
        return self.validated(items, total, limit, page)

    def validated(self, items: list[dict[str, Any]], total: int, limit: int, page: int) -> bytes:
        """The reference: every row validated against the public model, then dumped."""
        document = {"items": items, "total": total, "limit": limit, "page": page}
        return self._adapter.dump_json(self._adapter.validate_python(document))

    def _row(self, item: dict[str, Any]) -> dict[str, Any]:
        row = {name: item[name] for name in self.names}
        for name in self._floats:
            value = row[name]
            if type(value) is int:
                row[name] = float(value)
        return row


_ENCODERS: dict[type[SQLModel], PageEncoder] = {}


def page_encoder(public: type[SQLModel]) -> PageEncoder:
    if public not in _ENCODERS:
        _ENCODERS[public] = PageEncoder(public)
    return _ENCODERS[public]
