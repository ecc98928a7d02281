"""Model-performance pillar: record kinds, and the Arena scores the lag is computed from."""

from datetime import datetime

from sqlalchemy import and_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from api.errors import NotFound
from api.models.base import Pillar
from api.models.lag import ArenaInput, LagCurrent, LagMethod, LagPoint, LagSeries
from api.models.models import (
    AiModel,
    AiModelCreate,
    AiModelPublic,
    ArenaScore,
    ArenaScoreCreate,
    ArenaScorePublic,
)
from api.services import filters
from api.services.cache import VersionedCache
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.lag import DEFAULT_DRAWS, DEFAULT_SEED, ArenaPoint, compute_lag
from api.services.records import JoinSpec, RecordKind
from api.services.revisions import current_filter

AI_MODELS = RecordKind(
    name="ai_model",
    plural="ai_models",
    model=AiModel,
    public=AiModelPublic,
    create=AiModelCreate,
    filters=(
        filters.country(),
        filters.text("organization", "organization", "organization"),
        filters.source(),
        *filters.date_range("release_date"),
    ),
    sort_fields=(
        "key",
        "name",
        "organization",
        "release_date",
        "mmlu",
        "gpqa",
        "usd_per_m_input",
        "usd_per_m_output",
    ),
)
DEFAULT_CATEGORY = "full"
ARENA_SCORES = RecordKind(
    name="arena_score",
    plural="arena_scores",
    model=ArenaScore,
    public=ArenaScorePublic,
    create=ArenaScoreCreate,
    join=JoinSpec(AiModel, "model_key", ("organization", "country", "classification")),
    filters=(
        filters.one_of("model", "model_key", "Model key"),
        filters.one_of("category", "category", "Leaderboard category (full, coding, ...)"),
        filters.country(joined=True),
        filters.text("organization", "organization", "organization", joined=True),
        filters.source(),
        *filters.month_range(),
    ),
    sort_fields=("key", "month", "category", "model_key", "score", "votes"),
    default_sort=("month", "-score", "key"),
)
MODELS_INDICATORS = pillar_indicators(Pillar.models)
MODELS_OBSERVATIONS = pillar_observations(Pillar.models)


LAG_CACHE_SIZE = 64
_lag_cache: VersionedCache[LagSeries] = VersionedCache(LAG_CACHE_SIZE)


def clear_lag_cache() -> None:
    _lag_cache.clear()


def lag_series(
    session: Session,
    *,
    data_version: int,
    tolerance: float = 0.0,
    method: LagMethod = LagMethod.whole_month,
    from_month: str | None = None,
    to_month: str | None = None,
    as_of: datetime | None = None,
    explain: bool = False,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> LagSeries:
    """The lag series, computed once per database, data version and parameters in each
    process."""
    inputs = (tolerance, method, from_month, to_month, as_of, explain, draws, seed)
    return _lag_cache.get(
        session,
        data_version,
        inputs,
        lambda: _compute_lag_series(
            session,
            data_version,
            tolerance,
            method,
            from_month,
            to_month,
            as_of,
            explain,
            draws,
            seed,
        ),
    )


def _compute_lag_series(
    session: Session,
    data_version: int,
    tolerance: float,
    method: LagMethod,
    from_month: str | None,
    to_month: str | None,
    as_of: datetime | None,
    explain: bool,
    draws: int,
    seed: int,
) -> LagSeries:
    points = arena_points(session, as_of)
    result = compute_lag(
        points,
        tolerance=tolerance,
        method=method,
        from_month=from_month,
        to_month=to_month,
        draws=draws,
        seed=seed,
    )
    result.data_version = data_version
    if explain:
        result.inputs = [
            ArenaInput(**point._asdict())
            for point in sorted(
                points, key=lambda p: (p.month, p.country or "~", -p.score, p.model)
            )
        ]
    return result


def latest_with_both(series: LagSeries) -> LagPoint | None:
    """The latest month in which both countries have a score (and so a leader)."""
    for point in reversed(series.series):
        if point.us and point.cn and point.leader:
            return point
    return None


def current_lag(series: LagSeries) -> LagCurrent:
    """The latest month with both countries; NotFound when there is none."""
    point = latest_with_both(series)
    if point is None or point.us is None or point.cn is None or point.leader is None:
        raise NotFound("no month has Arena scores for both the US and China")
    return LagCurrent(
        month=point.month,
        lag_months=point.lag_months,
        lag_months_at_least=point.lag_months_at_least,
        censored=point.censored,
        leader=point.leader,
        us=point.us,
        cn=point.cn,
        interval=point.interval,
        p_china_ahead=point.p_china_ahead,
        interval_note=point.interval_note,
        unclassified_above=point.unclassified_above,
        method=series.method,
        tolerance=series.parameters.tolerance,
        uncertainty=series.uncertainty,
        data_version=series.data_version,
    )


def arena_points(session: Session, as_of: datetime | None = None) -> list[ArenaPoint]:
    """Every overall-leaderboard Arena score with its model's place, as of a time.

    A model the registry has not placed comes with no country: it counts for no country.
    """
    statement = (
        sa_select(
            col(ArenaScore.month),
            col(ArenaScore.model_key),
            col(AiModel.organization),
            col(AiModel.country),
            col(ArenaScore.score),
            col(ArenaScore.ci_lower),
            col(ArenaScore.ci_upper),
        )
        .join(
            AiModel,
            and_(
                col(AiModel.key) == col(ArenaScore.model_key),
                current_filter(AiModel, as_of),
                col(AiModel.retired).is_(False),
            ),
            isouter=True,
        )
        .where(
            current_filter(ArenaScore, as_of),
            col(ArenaScore.retired).is_(False),
            col(ArenaScore.category) == DEFAULT_CATEGORY,
        )
    )
    # Core, not the ORM: 30,000 plain rows, no entities to track.
    rows = session.connection().execute(statement).fetchall()
    return [ArenaPoint._make(row) for row in rows]
