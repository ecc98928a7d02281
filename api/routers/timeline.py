"""Timeline: the dated events the report cites, each with where in the report it says so."""

from api.services.timeline import TIMELINE_EVENTS
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/timeline", tags=["timeline"])
add_record_routes(router, "/events", TIMELINE_EVENTS)
