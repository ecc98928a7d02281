"""Where a chart's numbers come from: the source line, gathered from the records it shows.

One query serves every kind of record that carries a source: the records, each joined to
its source as it stood at `as_of`, reduced to (publication, place in it, who it cites).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from api.models.funding import FundingRecord
from api.models.lag import LagSeries
from api.models.models import ArenaScore
from api.models.sources import Source
from api.models.totals import FundingTotals
from api.services.revisions import current_filter

Cited = TypeVar("Cited", ArenaScore, FundingRecord)


@dataclass(frozen=True, order=True)
class Citation:
    """One (publication, place in it, who it cites) behind some of a chart's records."""

    publisher: str
    title: str
    location: str
    cited_source: str  # "" when the publication gives the figure as its own


def source_line(citations: Iterable[Citation]) -> str:
    """`Source: LMsys ChatArena via <publisher>, <title>, Appendix B`, one part per work."""
    works: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for citation in citations:
        cited, locations = works[(citation.publisher, citation.title)]
        locations.add(citation.location)
        if citation.cited_source:
            cited.add(citation.cited_source)
    if not works:
        return "Source: no records in this selection"
    parts = []
    for (publisher, title), (cited, locations) in sorted(works.items()):
        work = ", ".join(p for p in (publisher, title, "; ".join(sorted(locations))) if p)
        parts.append(f"{', '.join(sorted(cited))} via {work}" if cited else work)
    return ("Source: " if len(parts) == 1 else "Sources: ") + " | ".join(parts)


def citations(
    session: Session,
    model: type[Cited],
    where: ColumnElement[bool],
    as_of: datetime | None = None,
    keep: Callable[[Cited], bool] = lambda _record: True,
) -> list[Citation]:
    """The citations of the current, unretired `model` records matching `where` (and `keep`)."""
    statement = (
        select(model, Source)
        .outerjoin(
            Source,
            and_(col(Source.key) == col(model.source_key), current_filter(Source, as_of)),
        )
        .where(current_filter(model, as_of), col(model.retired).is_(False), where)
    )
    found: set[Citation] = set()
    for record, source in session.exec(statement):
        if keep(record):
            found.add(_citation(record, source))
    return sorted(found)


def _citation(record: Any, source: Source | None) -> Citation:
    cited = record.cited_source or ""
    if source is None:  # the source record is missing at as_of: credit its key
        return Citation(record.source_key, "", record.source_location, cited)
    return Citation(source.publisher, source.title, record.source_location, cited)


def arena_citations(
    session: Session, series: LagSeries, as_of: datetime | None = None
) -> list[Citation]:
    """Where the Arena scores plotted from `series` come from."""
    shown = {(p.month, top.model) for p in series.series for top in (p.us, p.cn) if top}
    if not shown:
        return []
    months = col(ArenaScore.month).in_({month for month, _ in shown})
    return citations(
        session, ArenaScore, months, as_of, keep=lambda s: (s.month, s.model_key) in shown
    )


def funding_citations(
    session: Session, totals: FundingTotals, as_of: datetime | None = None
) -> list[Citation]:
    """Where the funding records counted in `totals` come from."""
    keys = {key for group in totals.groups for key in group.record_keys}
    if not keys:
        return []
    return citations(session, FundingRecord, col(FundingRecord.key).in_(keys), as_of)
