"""Indicators: what is measured, and each one's observations."""

from api.services.indicators import INDICATORS, OBSERVATIONS_OF_INDICATOR
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/indicators", tags=["indicators"])
add_record_routes(router, "", INDICATORS)
add_record_routes(
    router, "/{code}/observations", OBSERVATIONS_OF_INDICATOR, mrv=True, parent=INDICATORS
)
