"""Queries on sources."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models.sources import Source
from api.services.revisions import current_filter


def list_sources(
    session: Session, *, limit: int, offset: int, as_of: datetime | None = None
) -> tuple[list[Source], int]:
    where = [current_filter(Source, as_of), col(Source.retired).is_(False)]
    total = session.exec(select(func.count()).select_from(Source).where(*where)).one()
    rows = session.exec(
        select(Source).where(*where).order_by(col(Source.key)).offset(offset).limit(limit)
    )
    return list(rows), total
