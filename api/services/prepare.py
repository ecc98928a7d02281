"""Fields derived from others before a record is validated: the same for seeds and API."""

from typing import Any

from api.models.assessments import ICD203_RANGES, Likelihood
from api.services.periods import period_bounds
from api.services.records import DerivedFieldError


def with_period_bounds(raw: dict[str, Any]) -> dict[str, Any]:
    """An observation's period_start/period_end from its period (none when undated)."""
    if raw.get("period") is None:  # undated in the source: kept, but outside any date range
        return {**raw, "period": None, "period_start": None, "period_end": None}
    period = str(raw["period"])
    try:
        start, end = period_bounds(period)
    except ValueError as exc:  # an impossible date, or an end before the start
        raise DerivedFieldError("period", str(exc)) from exc
    return {**raw, "period": period, "period_start": start, "period_end": end}


def with_probability(raw: dict[str, Any]) -> dict[str, Any]:
    """An assessment's probability range from its ICD 203 term (none without a term)."""
    if raw.get("likelihood") is None:  # a statement of fact, without estimative language
        return {**raw, "probability_min": None, "probability_max": None}
    try:
        low, high = ICD203_RANGES[Likelihood(raw["likelihood"])]
    except ValueError as exc:
        raise DerivedFieldError("likelihood", str(exc)) from exc
    return {**raw, "probability_min": low, "probability_max": high}
