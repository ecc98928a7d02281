"""One validation path for a record, whatever its door: the API, a CSV import, the seeds.

Every door hands a kind's raw values to `check`: the kind prepares and validates them
(`RecordKind.content`: the same models, value rules and derived fields for every door), and
no text may hold a NUL character. Then `reference_issues` checks the fields that hold
another record's key against the one table of them (api/services/kinds.py); each door says
what exists (the database, the file, the seeds). Every problem is an `Issue`: its line (in
a file), its field and the reason; a door only chooses how to show them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.errors import InvalidData
from api.services.kinds import references
from api.services.records import RecordKind

MAX_SHOWN_ISSUES = 1000


@dataclass(frozen=True)
class Issue:
    line: int | None  # in a file, from 1; None for a request body
    field: str  # "" when the problem is the whole record
    reason: str
    file: str | None = None  # which file, where there are several (the seeds)

    def __str__(self) -> str:
        where = [self.file or "", f"line {self.line}" if self.line is not None else ""]
        place = " ".join(part for part in where if part)
        return f"{place + ': ' if place else ''}{self.field or 'record'}: {self.reason}"


class Invalid(Exception):
    """A record, or a file of them, with problems: each one an Issue."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def _shown(value: Any) -> str:
    return repr(value[:40] if isinstance(value, str) else value)


def _reason(kind: RecordKind, error: ErrorDetails) -> str:
    """Pydantic's message, with the value where that helps a person find it; never a
    regular expression (the field's description says what is allowed)."""
    kind_of, value = error["type"], error.get("input")
    if value is None and kind_of.endswith("_type"):  # an empty cell, a null
        return "Field required"
    if kind_of in ("float_parsing", "float_type"):
        return f"not a number: {_shown(value)}"
    if kind_of in ("int_parsing", "int_type", "int_from_float"):
        return f"not a whole number: {_shown(value)}"
    if kind_of == "finite_number":
        return "must be finite"
    if kind_of == "string_pattern_mismatch" and kind.create is not None:
        info = kind.create.model_fields.get(str(error["loc"][0])) if error["loc"] else None
        described = info.description if info is not None else None
        return f"{_shown(value)} is not allowed here" + (f": {described}" if described else "")
    return error["msg"]


def validation_issues(
    kind: RecordKind, exc: ValidationError, *, line: int | None = None, file: str | None = None
) -> list[Issue]:
    return [
        Issue(line, ".".join(str(part) for part in error["loc"]), _reason(kind, error), file)
        for error in exc.errors()
    ]


def check(
    kind: RecordKind, raw: dict[str, Any], *, line: int | None = None, file: str | None = None
) -> tuple[str, dict[str, Any]]:
    """(key, content) of one record, prepared and validated; raises Invalid."""
    try:
        key, content = kind.content(raw)
    except ValidationError as exc:
        raise Invalid(validation_issues(kind, exc, line=line, file=file)) from exc
    with_nul = [name for name, value in content.items() if isinstance(value, str) and "\0" in value]
    if with_nul:  # PostgreSQL cannot store text with NUL characters
        raise Invalid([Issue(line, name, "contains a NUL character", file) for name in with_nul])
    return key, content


Exists = Callable[[RecordKind, str], bool]  # whether a record of that kind has that key


def reference_issues(
    kind: RecordKind,
    content: dict[str, Any],
    exists: Exists,
    *,
    line: int | None = None,
    file: str | None = None,
) -> list[Issue]:
    """A record's fields that name a record that does not exist."""
    return [
        Issue(line, name, f"no {target.name.replace('_', ' ')} with key {value!r}", file)
        for name, target in references(kind).items()
        if (value := content.get(name)) is not None and not exists(target, value)
    ]


def body_error(issues: list[Issue], **extensions: Any) -> InvalidData:
    """The 422 of a request body: each issue's field under `body`."""
    errors = [
        {"field": f"body.{i.field}" if i.field else "body", "reason": i.reason} for i in issues
    ]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return InvalidData(detail, errors=errors, **extensions)


def file_error(issues: list[Issue]) -> InvalidData:
    """The 422 of an uploaded file: each issue's line and field; nothing was written."""
    return InvalidData(
        f"{len(issues)} problem(s) in the file; nothing was written",
        errors=[
            {"field": f"line {i.line}: {i.field or 'row'}", "reason": i.reason, "line": i.line}
            for i in issues[:MAX_SHOWN_ISSUES]
        ],
        problem_count=len(issues),
    )
