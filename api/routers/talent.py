"""Talent pillar: researchers, degrees, papers and institutions."""

from api.services.talent import NEURIPS_INSTITUTIONS, TALENT_INDICATORS, TALENT_OBSERVATIONS
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/talent", tags=["talent"])
add_record_routes(router, "/institutions", NEURIPS_INSTITUTIONS)
add_record_routes(router, "/indicators", TALENT_INDICATORS)
add_record_routes(router, "/observations", TALENT_OBSERVATIONS, mrv=True)
