"""Regulation pillar: laws, provisions, orders, standards, vetoes and repeals."""

from fastapi import APIRouter

from api.services.regulation import REGULATION_EVENTS
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/regulation", tags=["regulation"], route_class=LazyAPIRoute)
add_record_routes(router, "/events", REGULATION_EVENTS)
