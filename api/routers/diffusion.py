"""Diffusion pillar: patents, platforms, deployments, adoption and prices."""

from api.services.diffusion import DIFFUSION_INDICATORS, DIFFUSION_OBSERVATIONS
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/diffusion", tags=["diffusion"])
add_record_routes(router, "/indicators", DIFFUSION_INDICATORS)
add_record_routes(router, "/observations", DIFFUSION_OBSERVATIONS, mrv=True)
