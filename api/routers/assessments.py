"""Assessments: the report's key judgments, with ICD 203 likelihoods."""

from fastapi import APIRouter

from api.services.assessments import ASSESSMENTS
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/assessments", tags=["assessments"], route_class=LazyAPIRoute)
add_record_routes(router, "", ASSESSMENTS)
