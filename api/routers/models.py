"""Model-performance pillar: model cards, monthly Arena scores, and the Elo lag."""

from datetime import date
from typing import Annotated, Any

from fastapi import Header, Query, Request
from starlette.concurrency import run_in_threadpool

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES, UnsupportedMediaType
from api.models.imports import LmarenaImportResult
from api.models.lag import LagCurrent, LagMethod, LagMethodCard, LagSeries
from api.services.imports import ARENA_COLUMNS, ARENA_SOURCE, import_arena
from api.services.lag import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    LAG_CSV_COLUMNS,
    lag_rows,
    method_card,
)
from api.services.lmarena import LeaderboardFormat, import_lmarena
from api.services.models import (
    AI_MODELS,
    ARENA_SCORES,
    DEFAULT_CATEGORY,
    MODELS_INDICATORS,
    MODELS_OBSERVATIONS,
    current_lag,
    lag_series,
)
from api.services.registry import MODEL_ALIASES, MODEL_FAMILIES, ORGANIZATIONS
from api.web.auth import WriterDep, WriteSessionDep
from api.web.conditional import wants_csv
from api.web.csv_export import csv_response
from api.web.csv_routes import add_csv_twin
from api.web.data_version import DataVersionDep
from api.web.imports import IMPORT_RESPONSES, add_import_route
from api.web.params import FromMonth, Tolerance, ToMonth
from api.web.record_routes import AsOf, add_record_routes
from api.web.router import Router
from api.web.strict_query import negotiates_csv

router = Router(prefix="/v1/models", tags=["models"])
add_import_route(
    router,
    "/arena-scores/import",
    what="monthly Arena scores",
    columns=ARENA_COLUMNS.text() + ". Unknown models are created with their organization and "
    "country",
    operation_id="import_arena_scores",
    importer=lambda session, body, actor: import_arena(
        session, body, actor=actor, default_source=ARENA_SOURCE
    ),
)
add_record_routes(router, "/catalog", AI_MODELS)
add_record_routes(router, "/organizations", ORGANIZATIONS)
add_record_routes(router, "/families", MODEL_FAMILIES)
add_record_routes(router, "/aliases", MODEL_ALIASES)
add_record_routes(router, "/arena-scores", ARENA_SCORES)
add_record_routes(router, "/indicators", MODELS_INDICATORS)
add_record_routes(router, "/observations", MODELS_OBSERVATIONS, mrv=True)

LEADERBOARD_MEDIA_TYPES = {
    "application/json": LeaderboardFormat.json,
    "text/csv": LeaderboardFormat.csv,
    "application/csv": LeaderboardFormat.csv,
}


@router.post(
    "/arena-scores/import/lmarena",
    summary="Import a published LMArena leaderboard as one month's Arena scores",
    description="The body is LMArena's leaderboard JSON (`application/json`: "
    "`{category: {model: {rating, rating_q025, rating_q975}}}`) or the leaderboard CSV "
    "(`text/csv`: `model, arena_score, 95_pct_ci, votes, organization, ...`). Every model of "
    "the category is imported as `month`'s score with its 95% interval (and votes where "
    "given); each row's provenance names the source, the format and the snapshot. Models "
    "are found in the registry under any spelling; a new one is placed by the registry's "
    "family rules or the leaderboard's organization label, or imported unclassified (no "
    "country: it counts for no country) and listed in `warnings`. With `strict=true` an "
    "unclassified model is a 422 and nothing is written. The same snapshot twice changes "
    "nothing; a later snapshot of the same month is a new revision, and retires the month's "
    "imported scores of models it no longer lists. A bad file changes nothing and the 422 "
    "lists each problem. Only raw (not style-controlled) leaderboards belong here.",
    operation_id="import_lmarena_leaderboard",
    response_model=LmarenaImportResult,
    responses=IMPORT_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The leaderboard as LMArena publishes it.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def import_lmarena_endpoint(
    request: Request,
    session: WriteSessionDep,
    principal: WriterDep,
    month: Annotated[
        str,
        Query(
            pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
            description="The month the scores are for; not after the current month (UTC).",
        ),
    ],
    category: Annotated[
        str,
        Query(
            pattern=r"^[a-z0-9_]{1,40}$",
            description="Leaderboard category; `full` (overall) feeds the lag. A CSV is always "
            "`full`.",
        ),
    ] = DEFAULT_CATEGORY,
    snapshot: Annotated[
        date | None,
        Query(
            description="The snapshot's date (YYYY-MM-DD), named in each row's provenance: in "
            "or after the month, and not after today. Without it the snapshot is named by its "
            "content's SHA-256."
        ),
    ] = None,
    strict: Annotated[
        bool, Query(description="Refuse the whole file if any model cannot be placed.")
    ] = False,
    content_type: Annotated[str | None, Header()] = None,
) -> LmarenaImportResult:
    media_type = (content_type or "").split(";")[0].strip().lower()
    leaderboard_format = LEADERBOARD_MEDIA_TYPES.get(media_type)
    if leaderboard_format is None:
        raise UnsupportedMediaType(
            "send the leaderboard as application/json (the JSON file) or text/csv (the CSV), "
            f"not {media_type or 'no Content-Type'}"
        )
    body = await request.body()
    report = await run_in_threadpool(
        lambda: import_lmarena(
            session,
            body,
            leaderboard_format=leaderboard_format,
            month=month,
            category=category,
            snapshot=snapshot,
            strict=strict,
            actor=principal.name,
        )
    )
    return LmarenaImportResult.from_report(report)


Method = Annotated[
    LagMethod,
    Query(description="`whole_month` (default) or `interpolated` (fractional months)."),
]
Draws = Annotated[
    int,
    Query(ge=100, le=20_000, description="Monte Carlo draws behind each interval."),
]
Seed = Annotated[
    int,
    Query(ge=0, le=2**32 - 1, description="Seed of the Monte Carlo draws: same seed, same answer."),
]
COMPUTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag in If-None-Match."},
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}


@router.get(
    "/lag",
    summary="Months China's best model trails the US's, by month",
    description="Computed from every overall-leaderboard Arena score; only models the "
    "registry places in the US or China count, and each month lists unclassified models "
    "scoring above a country's best. `lag_months` is null unless the lag is known exactly "
    "(a censored month gives its lower bound in `lag_months_at_least`). Where scores have "
    "published intervals, each month carries the lag's 90% Monte Carlo interval and "
    "`p_china_ahead`; `uncertainty` states the draws, seed and assumptions. The summary's "
    "trend is named only when the 90% interval of its slope excludes zero.",
    operation_id="get_model_lag",
    response_model=LagSeries,
    responses=COMPUTED_RESPONSES,
)
@negotiates_csv
def get_lag(
    request: Request,
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    method: Method = LagMethod.whole_month,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
    explain: Annotated[
        bool, Query(description="Also return every Arena score considered.")
    ] = False,
    draws: Draws = DEFAULT_DRAWS,
    seed: Seed = DEFAULT_SEED,
) -> Any:
    series = lag_series(
        session,
        data_version=version,
        tolerance=tolerance,
        method=method,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
        explain=explain,
        draws=draws,
        seed=seed,
    )
    if wants_csv(request):  # Accept: text/csv or format=csv, as on every list
        return csv_response(LAG_CSV_COLUMNS, lag_rows(series), {})
    return series


add_csv_twin(
    router,
    "/lag",
    get_lag,
    operation_id="get_model_lag_csv",
    summary="The lag by month, as CSV",
    columns=LAG_CSV_COLUMNS,
    rows="month (`unclassified_above`: `model (score, above US+CN)`, separated by `; `)",
)


@router.get(
    "/lag/current",
    summary="The latest month's lag (for polling)",
    description="Small and cacheable: send If-None-Match with the last ETag to get a 304 "
    "until the data changes.",
    operation_id="get_current_model_lag",
    response_model=LagCurrent,
    responses={**COMPUTED_RESPONSES, 404: ERROR_RESPONSES[404]},
)
def get_current_lag(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    method: Method = LagMethod.whole_month,
    as_of: AsOf = None,
    draws: Draws = DEFAULT_DRAWS,
    seed: Seed = DEFAULT_SEED,
) -> LagCurrent:
    series = lag_series(
        session,
        data_version=version,
        tolerance=tolerance,
        method=method,
        as_of=as_of,
        draws=draws,
        seed=seed,
    )
    return current_lag(series)


@router.get(
    "/lag/method",
    summary="How the lag, its interval and its trend are computed",
    description="The method card: each method's rule, which scores count, censoring, "
    "unclassified models, the Monte Carlo's draws, seed, level and assumptions, and the "
    "trend rule.",
    operation_id="get_model_lag_method",
    response_model=LagMethodCard,
    responses={400: ERROR_RESPONSES[400]},
)
async def get_lag_method() -> LagMethodCard:
    return method_card()
