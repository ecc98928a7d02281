"""Observations: every value of every indicator, for any country and period."""

from fastapi import APIRouter

from api.services.indicators import OBSERVATIONS
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/observations", tags=["observations"])
add_record_routes(router, "", OBSERVATIONS, mrv=True)
