"""Sources: the publications every figure cites."""

from fastapi import APIRouter

from api.services.sources import SOURCES
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/sources", tags=["sources"], route_class=LazyAPIRoute)
add_record_routes(router, "", SOURCES)
