"""Create, revise and retire any record kind: append-only, serialized, If-Match guarded.

Every write transaction first takes the write lock (one row everyone updates), so writes
happen one at a time: If-Match is checked against the revision that is really current,
and change ids are assigned in commit order (the change feed never skips a write).
"""

import hashlib
import json
from typing import Any

from sqlmodel import Session, col, update

from api.db import BEGIN_IMMEDIATE, mark_writing
from api.errors import Conflict, InvalidData, NotFound, PreconditionFailed, PreconditionRequired
from api.models.auth import WriteLock
from api.services.records import RecordKind, get_record, list_revisions
from api.services.revisions import get_current, retire, write_revision
from api.services.validation import Invalid, Issue, body_error, check, reference_issues


def lock_writes(session: Session) -> None:
    """Serialize this transaction with every other write (first statement of a write)."""
    mark_writing(session)
    if not session.in_transaction():  # SQLite: take the write lock at BEGIN
        session.connection(execution_options={BEGIN_IMMEDIATE: True})
    session.exec(
        update(WriteLock).where(col(WriteLock.id) == 1).values(writes=col(WriteLock.writes) + 1)
    )


def record_etag(record: dict[str, Any]) -> str:
    """A strong ETag of one record's representation: it changes with every revision."""
    canonical = json.dumps(record, sort_keys=True, default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:20] + '"'


def check_if_match(header: str | None, record: dict[str, Any]) -> None:
    if header is None:
        raise PreconditionRequired(
            "send If-Match with the ETag of the revision you are changing "
            "(GET the record first); this keeps concurrent edits from overwriting each other"
        )
    tags = {tag.strip() for tag in header.split(",")}
    if "*" not in tags and record_etag(record) not in tags:
        raise PreconditionFailed(
            f"the record has changed: its current revision is {record['revision']}; "
            "GET it again and reapply your change",
            current_revision=record["revision"],
        )


def validate_content(kind: RecordKind, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(key, content) from a request body, checked as every door checks a record."""
    if kind.create is None:
        raise InvalidData(f"{kind.plural} cannot be written through the API")
    try:
        return check(kind, payload)
    except Invalid as exc:
        raise body_error(exc.issues) from exc


def _exists(session: Session, kind: RecordKind, key: str) -> bool:
    """A reference names a current record: not a retired one."""
    record = get_current(session, kind.model, key)
    return record is not None and not record.retired


def check_references(session: Session, kind: RecordKind, key: str, content: dict[str, Any]) -> None:
    issues = reference_issues(kind, content, lambda target, name: _exists(session, target, name))
    for name, value in kind.fixed.items():
        actual = _fixed_value(session, kind, name, content)
        if actual != value:
            reason = f"this list only holds {name} {value!r}, not {actual!r}"
            issues.append(Issue(None, name, reason))
    if issues:
        raise body_error(issues, key=key)


def _fixed_value(session: Session, kind: RecordKind, name: str, content: dict[str, Any]) -> Any:
    if name in content:
        return content[name]
    if kind.join is not None:  # e.g. an observation's pillar is its indicator's
        other = get_current(session, kind.join.model, content[kind.join.local_key])
        return getattr(other, name, None) if other else None
    return None


def _after_write(session: Session, kind: RecordKind, actor: str) -> None:
    if kind.after_write is not None:
        kind.after_write(session, actor)


def create_record(
    session: Session, kind: RecordKind, payload: dict[str, Any], *, actor: str
) -> dict[str, Any]:
    lock_writes(session)
    key, content = validate_content(kind, payload)
    check_references(session, kind, key, content)
    existing = get_current(session, kind.model, key)
    if existing is not None and not existing.retired:
        raise Conflict(
            f"{kind.name.replace('_', ' ')} {key!r} exists (revision {existing.revision}); "
            "change it with PUT and If-Match"
        )
    write_revision(session, kind.model, key, content, changed_by=actor)
    _after_write(session, kind, actor)
    return get_record(session, kind, key)


def revise_record(
    session: Session,
    kind: RecordKind,
    key: str,
    payload: dict[str, Any],
    *,
    if_match: str | None,
    actor: str,
) -> dict[str, Any]:
    lock_writes(session)
    current = get_record(session, kind, key)
    check_if_match(if_match, current)
    body_key, content = validate_content(kind, {**payload, "key": payload.get("key", key)})
    if body_key != key:
        raise InvalidData(
            f"body key {body_key!r} differs from the URL's {key!r}",
            errors=[{"field": "body.key", "reason": "must equal the URL's key"}],
        )
    check_references(session, kind, key, content)
    write_revision(session, kind.model, key, content, changed_by=actor)
    _after_write(session, kind, actor)
    return get_record(session, kind, key)


def retire_record(
    session: Session, kind: RecordKind, key: str, *, if_match: str | None, actor: str
) -> dict[str, Any]:
    lock_writes(session)
    current = get_record(session, kind, key)
    check_if_match(if_match, current)
    if retire(session, kind.model, key, changed_by=actor) is None:
        raise NotFound(f"no {kind.name.replace('_', ' ')} with key {key!r}")
    _after_write(session, kind, actor)
    return list_revisions(session, kind, key)[-1]
