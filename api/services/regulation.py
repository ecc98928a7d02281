"""Regulation pillar: record kinds."""

from api.models.regulation import (
    RegulationEvent,
    RegulationEventCreate,
    RegulationEventPublic,
)
from api.services import filters
from api.services.records import RecordKind

REGULATION_EVENTS = RecordKind(
    name="regulation_event",
    plural="regulation_events",
    model=RegulationEvent,
    public=RegulationEventPublic,
    create=RegulationEventCreate,
    filters=(
        filters.country("jurisdiction"),
        filters.one_of("kind", "kind", "law, provision, executive_order, veto, repeal, ..."),
        filters.one_of("status", "status", "in_force, draft, proposed, vetoed, ..."),
        filters.source(),
        *filters.date_range("event_date"),
    ),
    sort_fields=("key", "jurisdiction", "event_date", "kind"),
    default_sort=("jurisdiction", "event_date", "key"),
)
