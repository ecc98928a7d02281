"""Sources: the publications every figure cites."""

from api.services.sources import SOURCES
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/sources", tags=["sources"])
add_record_routes(router, "", SOURCES)
