"""Append-only revisions, without HTTP."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.models import Source
from api.models.base import Operation
from api.services.revisions import get_current, list_revisions, retire, write_revision

T0 = datetime(2030, 1, 1, tzinfo=UTC)
CONTENT: dict[str, Any] = {
    "title": "A later data drop",
    "publisher": "Someone",
    "published_on": None,
    "url": None,
    "description": None,
}


def test_create_revise_retire_keeps_every_version(session: Session) -> None:
    created = write_revision(session, Source, "drop-1", CONTENT, now=T0)
    same = write_revision(session, Source, "drop-1", CONTENT, now=T0 + timedelta(days=1))
    revised = write_revision(
        session, Source, "drop-1", {**CONTENT, "title": "Corrected"}, now=T0 + timedelta(days=2)
    )
    retired = retire(session, Source, "drop-1", now=T0 + timedelta(days=3))

    assert (created.operation, same.operation, revised.operation) == (
        Operation.create,
        None,
        Operation.revise,
    )
    assert retired is not None
    assert retired.operation == Operation.retire
    history = list_revisions(session, Source, "drop-1")
    assert [(r.revision, r.title, r.retired) for r in history] == [
        (1, "A later data drop", False),
        (2, "Corrected", False),
        (3, "Corrected", True),
    ]
    first = get_current(session, Source, "drop-1", as_of=T0 + timedelta(hours=12))
    assert first is not None
    assert first.title == "A later data drop"
    assert first.valid_from == T0


def test_two_writers_of_the_same_revision_cannot_both_land(session: Session) -> None:
    write_revision(session, Source, "drop-2", CONTENT, now=T0)
    session.add(Source(key="drop-2", revision=1, valid_from=T0, **CONTENT))
    with pytest.raises(IntegrityError):
        session.flush()


def test_naive_timestamps_are_refused(session: Session) -> None:
    with pytest.raises(Exception, match="naive"):
        write_revision(session, Source, "drop-3", CONTENT, now=datetime(2030, 1, 1))
