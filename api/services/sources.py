"""Sources: the record kind and its queries."""

from api.models.sources import Source, SourcePublic
from api.services import filters
from api.services.records import RecordKind

SOURCES = RecordKind(
    name="source",
    plural="sources",
    model=Source,
    public=SourcePublic,
    filters=(filters.text("publisher", "publisher", "publisher name"),),
    sort_fields=("key", "title", "published_on"),
)
