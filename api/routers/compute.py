"""Compute pillar: data centers, EDWC clusters, chips and accelerators."""

from api.services.compute import (
    COMPUTE_INDICATORS,
    COMPUTE_OBSERVATIONS,
    DATA_CENTERS,
    EDWC_CLUSTERS,
)
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/compute", tags=["compute"])
add_record_routes(router, "/data-centers", DATA_CENTERS)
add_record_routes(router, "/clusters", EDWC_CLUSTERS)
add_record_routes(router, "/indicators", COMPUTE_INDICATORS)
add_record_routes(router, "/observations", COMPUTE_OBSERVATIONS, mrv=True)
