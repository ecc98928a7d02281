"""Indicators: what is measured, and each one's observations."""

from fastapi import APIRouter

from api.services.indicators import INDICATORS, OBSERVATIONS_OF_INDICATOR
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/indicators", tags=["indicators"], route_class=LazyAPIRoute)
add_record_routes(router, "", INDICATORS)
add_record_routes(
    router, "/{code}/observations", OBSERVATIONS_OF_INDICATOR, mrv=True, parent=INDICATORS
)
