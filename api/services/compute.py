"""Compute pillar: record kinds."""

from api.models.base import Pillar
from api.models.compute import (
    DataCenter,
    DataCenterCreate,
    DataCenterPublic,
    EdwcCluster,
    EdwcClusterCreate,
    EdwcClusterPublic,
)
from api.services import filters
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.records import RecordKind

DATA_CENTERS = RecordKind(
    name="data_center",
    plural="data_centers",
    model=DataCenter,
    public=DataCenterPublic,
    create=DataCenterCreate,
    filters=(
        filters.country(),
        filters.text("company", "company", "company"),
        filters.text("hub", "hub", "EDWC hub (English name)"),
        filters.source(),
    ),
    sort_fields=("key", "company", "hub", "planned_servers", "opened_year"),
)
EDWC_CLUSTERS = RecordKind(
    name="edwc_cluster",
    plural="edwc_clusters",
    model=EdwcCluster,
    public=EdwcClusterPublic,
    create=EdwcClusterCreate,
    filters=(filters.text("hub", "hub", "EDWC hub (English name)"), filters.source()),
    sort_fields=("key", "name", "hub"),
)
COMPUTE_INDICATORS = pillar_indicators(Pillar.compute)
COMPUTE_OBSERVATIONS = pillar_observations(Pillar.compute)
