"""Indicators and observations: record kinds, including each pillar's own view."""

from dataclasses import replace

from api.models.base import Pillar, Qualifier
from api.models.indicators import (
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    Observation,
    ObservationCreate,
    ObservationPublic,
)
from api.services import filters
from api.services.prepare import with_period_bounds
from api.services.records import JoinSpec, RecordKind

INDICATORS = RecordKind(
    name="indicator",
    plural="indicators",
    model=Indicator,
    public=IndicatorPublic,
    create=IndicatorCreate,
    filters=(
        filters.choice("pillar", "pillar", "Pillar", Pillar),
        filters.text("unit", "unit", "unit"),
    ),
    sort_fields=("key", "pillar", "name"),
)

OBSERVATIONS = RecordKind(
    name="observation",
    plural="observations",
    model=Observation,
    public=ObservationPublic,
    create=ObservationCreate,
    prepare=with_period_bounds,
    join=JoinSpec(Indicator, "indicator_key", ("pillar",)),
    filters=(
        filters.one_of("indicator", "indicator_key", "Indicator code"),
        filters.choice("pillar", "pillar", "Pillar of the indicator", Pillar, joined=True),
        filters.country(),
        filters.status(),
        filters.choice("qualifier", "qualifier", "How exact the figure is", Qualifier),
        filters.source(),
        *filters.date_range("period_start", "period_end"),
    ),
    sort_fields=("key", "indicator_key", "country", "period_start", "period_end", "value"),
    default_sort=("indicator_key", "country", "period_start"),
    latest_by=("indicator_key", "country"),
    count_marker="key",  # ix_observations_current_count
    count_histogram="period_end",  # the same index, in its order
)


def pillar_indicators(pillar: Pillar) -> RecordKind:
    return replace(
        INDICATORS,
        name=f"{pillar.value}_indicator",
        plural=f"{pillar.value}_indicators",
        filters=INDICATORS.filters[1:],
        fixed={"pillar": pillar.value},
    )


def pillar_observations(pillar: Pillar) -> RecordKind:
    return replace(
        OBSERVATIONS,
        name=f"{pillar.value}_observation",
        plural=f"{pillar.value}_observations",
        filters=tuple(f for f in OBSERVATIONS.filters if f.param != "pillar"),
        fixed={"pillar": pillar.value},
    )


OBSERVATIONS_OF_INDICATOR = replace(
    OBSERVATIONS,
    name="indicator_observation",
    plural="indicator_observations",
    filters=tuple(f for f in OBSERVATIONS.filters if f.param not in ("indicator", "pillar")),
)
