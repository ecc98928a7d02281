"""Observations: every value of every indicator, for any country and period."""

from api.services.imports import import_observations
from api.services.indicators import OBSERVATIONS
from api.services.kinds import OBSERVATION_IMPORT
from api.web.imports import add_import_route
from api.web.record_routes import add_record_routes
from api.web.router import Router

router = Router(prefix="/v1/observations", tags=["observations"])
add_import_route(
    router,
    "/import",
    what="observations",
    columns=OBSERVATION_IMPORT.columns.text(),
    operation_id="import_observations",
    importer=lambda session, body, actor: import_observations(session, body, actor=actor),
)
add_record_routes(router, "", OBSERVATIONS, mrv=True)
