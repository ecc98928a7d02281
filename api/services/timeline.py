"""Timeline: record kind of the dated events the report cites."""

from api.models.assessments import AssessmentScope
from api.models.timeline import (
    TimelineEvent,
    TimelineEventCreate,
    TimelineEventPublic,
    TimelineKind,
)
from api.services import filters
from api.services.records import RecordKind

TIMELINE_EVENTS = RecordKind(
    name="timeline_event",
    plural="timeline_events",
    model=TimelineEvent,
    public=TimelineEventPublic,
    create=TimelineEventCreate,
    filters=(
        filters.country(),
        filters.choice("pillar", "pillar", "Pillar, or overall", AssessmentScope),
        filters.choice("kind", "kind", "Kind of event", TimelineKind),
        filters.source(),
        *filters.date_range("event_date"),
    ),
    sort_fields=("key", "event_date", "pillar", "country", "kind"),
    default_sort=("event_date", "key"),
)
