"""GET /metrics in the Prometheus text format."""

import os
from collections.abc import Iterator

from fastapi import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from api.db import get_engine
from api.deps import SessionDep, SettingsDep
from api.services.records import data_version
from api.web.router import Router

router = Router(tags=["health"])


class StateCollector(Collector):
    """This process's connection pool and the database's data version, read per scrape."""

    def __init__(self, pool: object, version: int) -> None:
        self.pool = pool
        self.version = version

    def collect(self) -> Iterator[Metric]:
        pool = GaugeMetricFamily(
            "aigap_db_pool_connections",
            "Database connections of this process by state.",
            labels=["state"],
        )
        for state, reader in (
            ("checked_out", "checkedout"),
            ("idle", "checkedin"),
            ("size", "size"),
            ("overflow", "overflow"),
        ):
            method = getattr(self.pool, reader, None)
            if callable(method):
                pool.add_metric([state], float(method()))
        yield pool
        version = GaugeMetricFamily("aigap_data_version", "Newest change id in the database.")
        version.add_metric([], float(self.version))
        yield version


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests, latency, database pool, data version",
    operation_id="get_metrics",
    response_class=Response,
    response_model=str,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text exposition format 0.0.4.",
        }
    },
)
def metrics(session: SessionDep, settings: SettingsDep) -> Response:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # all workers
    else:
        registry.register(REGISTRY)
    registry.register(StateCollector(get_engine(settings).pool, data_version(session)))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
