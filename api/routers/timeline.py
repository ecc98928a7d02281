"""Timeline: the dated events the report cites, each with where in the report it says so."""

from fastapi import APIRouter

from api.services.timeline import TIMELINE_EVENTS
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/timeline", tags=["timeline"], route_class=LazyAPIRoute)
add_record_routes(router, "/events", TIMELINE_EVENTS)
