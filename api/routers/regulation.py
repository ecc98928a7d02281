"""Regulation pillar: laws, provisions, orders, standards, vetoes and repeals."""

from api.services.regulation import REGULATION_EVENTS
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/regulation", tags=["regulation"])
add_record_routes(router, "/events", REGULATION_EVENTS)
