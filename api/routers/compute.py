"""Compute pillar: data centers, EDWC clusters, chips and accelerators."""

from fastapi import APIRouter

from api.services.compute import (
    COMPUTE_INDICATORS,
    COMPUTE_OBSERVATIONS,
    DATA_CENTERS,
    EDWC_CLUSTERS,
)
from api.web.lazy_route import LazyAPIRoute
from api.web.record_routes import add_record_routes

router = APIRouter(prefix="/v1/compute", tags=["compute"], route_class=LazyAPIRoute)
add_record_routes(router, "/data-centers", DATA_CENTERS)
add_record_routes(router, "/clusters", EDWC_CLUSTERS)
add_record_routes(router, "/indicators", COMPUTE_INDICATORS)
add_record_routes(router, "/observations", COMPUTE_OBSERVATIONS, mrv=True)
