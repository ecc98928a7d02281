"""Funding pillar: government budgets, guidance funds, semiconductor funds, private capital."""

from fastapi import APIRouter

from api.services.funding import FUNDING_INDICATORS, FUNDING_OBSERVATIONS, FUNDING_RECORDS
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/funding", tags=["funding"])
add_record_routes(router, "/records", FUNDING_RECORDS)
add_record_routes(router, "/indicators", FUNDING_INDICATORS)
add_record_routes(router, "/observations", FUNDING_OBSERVATIONS, mrv=True)
