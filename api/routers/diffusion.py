"""Diffusion pillar: patents, platforms, deployments, adoption and prices."""

from fastapi import APIRouter

from api.services.diffusion import DIFFUSION_INDICATORS, DIFFUSION_OBSERVATIONS
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/diffusion", tags=["diffusion"], route_class=LazyAPIRoute)
add_record_routes(router, "/indicators", DIFFUSION_INDICATORS)
add_record_routes(router, "/observations", DIFFUSION_OBSERVATIONS, mrv=True)
