"""Page JSON written straight from rows: the same bytes pydantic writes, for every value
shape a row can hold."""

from datetime import UTC, date, datetime

from sqlmodel import Session

from api.models.indicators import ObservationPublic
from api.services.kinds import KINDS
from api.services.records import ListQuery, list_records
from api.web.page_json import PageEncoder, page_encoder


def _observation(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "key": "x-cn-2025",
        "source_key": "s",
        "source_location": "p. 1",
        "cited_source": None,
        "note": 'é ✓ "quoted" \n line',
        "indicator_key": "x",
        "country": "CN",
        "period": "2025",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 12, 31),
        "value": 1.5,
        "value_max": None,
        "qualifier": "about",
        "unit": "USD",
        "status": "actual",
        "inferred_fields": None,
        "revision": 1,
        "valid_from": datetime(2026, 1, 1, tzinfo=UTC),
        "valid_to": None,
        "retired": False,
        "changed_by": "seed",
        "id": 7,  # columns the public model leaves out are left out
        "pillar": "compute",
    }
    row.update(changes)
    return row


def test_every_value_shape_is_written_as_pydantic_writes_it() -> None:
    encoder = PageEncoder(ObservationPublic)
    assert encoder.direct
    rows = [
        _observation(),
        _observation(value=3, value_max=4),  # ints in float fields: 3.0
        _observation(value=1e16, value_max=1e-7),
        _observation(value=-0.1, valid_to=datetime(2026, 2, 1, 3, 4, 5, 6789, tzinfo=UTC)),
        _observation(value=123456789012.25, period_start=None, period_end=None),
        _observation(inferred_fields="period_start,period_end"),
    ]
    assert encoder.encode(rows, 6, 50, 1) == encoder.validated(rows, 6, 50, 1)
    assert encoder.encode([], 0, 50, 3) == encoder.validated([], 0, 50, 3)


def test_what_orjson_cannot_write_goes_through_pydantic() -> None:
    from decimal import Decimal

    encoder = PageEncoder(ObservationPublic)
    rows = [_observation(value=Decimal("2.5"))]
    assert encoder.encode(rows, 1, 50, 1) == encoder.validated(rows, 1, 50, 1)


def test_every_kind_is_written_as_pydantic_writes_it(session: Session) -> None:
    """On the seeded rows of every kind, current and as of now: the bytes orjson writes
    from the rows are those pydantic writes after validating them."""
    for registered in KINDS:
        kind = registered.kind
        encoder = page_encoder(kind.public)
        for as_of in (None, datetime.now(UTC)):
            listing = list_records(session, kind, ListQuery(limit=200, as_of=as_of))
            assert listing.items, kind.name
            written = encoder.encode(listing.items, listing.total, 200, 1)
            assert written == encoder.validated(listing.items, listing.total, 200, 1), kind.name
