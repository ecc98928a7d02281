"""Assessments: the report's key judgments, with ICD 203 likelihoods."""

from api.services.assessments import ASSESSMENTS
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/assessments", tags=["assessments"])
add_record_routes(router, "", ASSESSMENTS)
