"""Sources: the record kind and its queries."""

from api.models.sources import Source, SourceCreate, SourcePublic
from api.services import filters
from api.services.records import RecordKind

SOURCES = RecordKind(
    name="source",
    plural="sources",
    model=Source,
    public=SourcePublic,
    create=SourceCreate,
    filters=(filters.text("publisher", "publisher", "publisher name"),),
    sort_fields=("key", "title", "published_on"),
)
