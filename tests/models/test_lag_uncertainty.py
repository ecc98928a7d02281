"""The lag's uncertainty and trend: hand-computed cases, seeds, censoring, unclassified models."""

import time
from statistics import NormalDist

import pytest

from api.models.lag import LagMethod, LagTrend, Leader
from api.services.lag import (
    ArenaPoint,
    compute_lag,
    lag_phrase,
    month_label,
    slope_with_interval,
    trend_phrase,
)
from api.services.lag_uncertainty import Z_95, t_quantile
from tests.models.test_lag import _appendix_b


def scored(
    month: str, model: str, country: str | None, score: float, sd: float = 0.0
) -> ArenaPoint:
    """A score whose published 95% interval is +-1.96 sd around it."""
    half = Z_95 * sd
    interval = (score - half, score + half) if sd else (None, None)
    organization = {"US": "U", "CN": "C"}.get(country or "", None)
    return ArenaPoint(month, model, organization, country, score, *interval)


def test_p_china_ahead_is_the_normal_difference() -> None:
    # One month, one model each: P(CN > US) = Phi((mu_cn - mu_us) / sqrt(sd_us^2 + sd_cn^2)).
    points = [scored("2025-01", "us", "US", 1300, 10), scored("2025-01", "cn", "CN", 1290, 10)]
    month = compute_lag(points, draws=20_000, seed=7).series[0]
    expected = NormalDist().cdf((1290 - 1300) / (10**2 + 10**2) ** 0.5)  # 0.2398
    assert month.p_china_ahead == pytest.approx(expected, abs=0.01)
    assert month.interval is not None
    assert month.interval.level == 0.9


def test_every_model_counts_not_only_the_top() -> None:
    # Two US models of equal score: the US best is the max of two draws, so China is ahead
    # less often than against one: P(CN > max(A, B)) = P(CN > A and CN > B).
    one = [scored("2025-01", "us-a", "US", 1300, 10), scored("2025-01", "cn", "CN", 1300, 10)]
    two = [*one, scored("2025-01", "us-b", "US", 1300, 10)]
    p_one = compute_lag(one, draws=20_000).series[0].p_china_ahead
    p_two = compute_lag(two, draws=20_000).series[0].p_china_ahead
    assert p_one == pytest.approx(0.5, abs=0.015)
    assert p_two == pytest.approx(1 / 3, abs=0.015)  # the largest of three exchangeable draws


def test_lag_interval_by_hand() -> None:
    # US frontier 1000 (Jan), 1100 (Feb), 1200 (Mar), exact. China in March: 1050 +- sd 40.
    # lag 0 if CN in (1100, 1200]: P = Phi(50/40)... = 0.106; lag 2 (censored, Jan) if
    # CN <= 1000: 0.106; lag 1 otherwise. The central 90% is therefore [0, 2].
    points = [
        scored("2024-01", "u1", "US", 1000),
        scored("2024-02", "u2", "US", 1100),
        scored("2024-03", "u3", "US", 1200),
        scored("2024-03", "c3", "CN", 1050, 40),
    ]
    march = compute_lag(points, draws=20_000).series[-1]
    assert march.lag_months == 1
    assert march.interval is not None
    assert (march.interval.low, march.interval.high) == (0, 2)
    tail = NormalDist(1050, 40).cdf(1000)
    assert march.interval.censored_share == pytest.approx(tail, abs=0.01)
    assert lag_phrase(march) == "1 month (90%: 0\u20132)"


def test_interpolated_intervals_are_fractional() -> None:
    points = [
        scored("2024-01", "u1", "US", 1000),
        scored("2024-02", "u2", "US", 1100),
        scored("2024-03", "u3", "US", 1200),
        scored("2024-03", "c3", "CN", 1150, 10),
    ]
    march = compute_lag(points, method=LagMethod.interpolated, draws=5000).series[-1]
    assert march.lag_months == pytest.approx(0.5)
    assert march.interval is not None
    # CN within 1150 +- 16.4 (90%) maps linearly onto 0.5 -+ 0.164 months.
    assert march.interval.low == pytest.approx(0.5 - 0.164, abs=0.02)
    assert march.interval.high == pytest.approx(0.5 + 0.164, abs=0.02)


def test_draws_where_china_leads_count_as_negative_lags() -> None:
    # China led in January (1005 vs 1000). In February, in the draws where China's best is
    # ahead and the US's is at most 1005, China reached it a month earlier: a lag of -1.
    points = [
        scored("2023-12", "u0", "US", 1000),
        scored("2023-12", "c0", "CN", 950),
        scored("2024-01", "u1", "US", 1000),
        scored("2024-01", "c1", "CN", 1005),
        scored("2024-02", "u2", "US", 1010, 10),
        scored("2024-02", "c2", "CN", 1010, 10),
    ]
    feb = compute_lag(points, draws=10_000).series[-1]
    assert feb.p_china_ahead == pytest.approx(0.5, abs=0.02)
    assert feb.interval is not None
    assert feb.interval.low == -1
    # and where China's best is at most the US's 1000 of December, the first month of data,
    # the lag (2) is only a lower bound: P = Phi(-1).
    assert feb.interval.censored_share == pytest.approx(NormalDist().cdf(-1), abs=0.015)


def test_same_seed_same_answer_and_the_seed_is_reported() -> None:
    points = [scored("2025-01", "us", "US", 1300, 10), scored("2025-01", "cn", "CN", 1295, 10)]
    first = compute_lag(points, seed=3)
    assert first == compute_lag(points, seed=3)
    assert (first.uncertainty.seed, first.uncertainty.draws) == (3, 2000)
    assert first.parameters.seed == 3
    assert first.uncertainty.method == "monte_carlo_normal"
    assert any("normal" in a for a in first.uncertainty.assumptions)
    assert compute_lag(points, seed=4).series[0].p_china_ahead != first.series[0].p_china_ahead


def test_months_without_intervals_carry_null_and_say_why() -> None:
    result = compute_lag(_appendix_b())
    assert all(p.interval is None and p.p_china_ahead is None for p in result.series)
    assert all("no published interval" in (p.interval_note or "") for p in result.series)


def test_unclassified_models_never_count_but_are_listed_when_above_a_top() -> None:
    points = [
        scored("2025-01", "us", "US", 1300),
        scored("2025-01", "cn", "CN", 1250),
        scored("2025-01", "mystery-big", None, 1320),
        scored("2025-01", "mystery-mid", None, 1280),
        scored("2025-01", "mystery-low", None, 1100),
    ]
    month = compute_lag(points).series[0]
    assert month.us is not None
    assert month.us.model == "us"
    assert [(m.model, m.above) for m in month.unclassified_above] == [
        ("mystery-big", ["US", "CN"]),
        ("mystery-mid", ["CN"]),
    ]


def test_a_censored_month_is_never_a_point_value() -> None:
    first = compute_lag(_appendix_b()).series[0]
    assert (first.lag_months, first.lag_months_at_least, first.censored) == (None, 0, True)
    assert lag_phrase(first).startswith("at least 0 months")
    assert first.leader is Leader.US


def test_t_quantiles_match_the_tables() -> None:
    for df, expected in {
        1: 6.3138,
        2: 2.9200,
        3: 2.3534,
        5: 2.0150,
        10: 1.8125,
        30: 1.6973,
    }.items():
        assert t_quantile(0.95, df) == pytest.approx(expected, abs=0.004)


def test_slope_interval_by_hand() -> None:
    # y = x exactly: the slope is 1 with zero width; noise widens it.
    slope, interval = slope_with_interval([(0, 0), (1, 1), (2, 2), (3, 3)])
    assert slope == pytest.approx(1)
    assert interval is not None
    assert interval.low == pytest.approx(1)
    slope, interval = slope_with_interval([(0, 0), (1, 2), (2, 1), (3, 3)])
    # slope 0.8, residual SS 1.8, SE sqrt(1.8 / 2 / 5) = 0.4243, t(0.95, 2) = 2.92
    assert slope == pytest.approx(0.8)
    assert interval is not None
    assert interval.low == pytest.approx(0.8 - 2.92 * 0.4243, abs=1e-3)


def test_the_appendix_b_trend_is_not_called() -> None:
    summary = compute_lag(_appendix_b()).summary
    assert summary.slope_interval is not None
    assert summary.slope_interval.low < 0 < summary.slope_interval.high
    assert summary.trend is LagTrend.no_clear_trend
    assert "no clear trend" in trend_phrase(summary)


def test_a_steady_trend_is_named() -> None:
    us = [scored(month_label(24_000 + i), f"u{i}", "US", 1000 + 10 * i) for i in range(36)]
    # China trails by a lag that grows one month every six months: clearly widening.
    cn = [
        scored(month_label(24_000 + i), f"c{i}", "CN", 1000 + 10 * (i - 1 - i // 6))
        for i in range(6, 36)
    ]
    summary = compute_lag(us + cn).summary
    assert summary.trend is LagTrend.widening
    assert summary.slope_interval is not None
    assert summary.slope_interval.low > 0


def test_300_models_a_month_for_100_months_stays_fast() -> None:
    points = []
    for i in range(100):
        month = month_label(24_000 + i)
        for j in range(150):
            points.append(scored(month, f"us-{j}", "US", 1000 + i * 3 + j * 0.5, 4))
            points.append(scored(month, f"cn-{j}", "CN", 990 + i * 3 + j * 0.5, 4))
    began = time.perf_counter()
    result = compute_lag(points)
    elapsed = time.perf_counter() - began
    assert all(p.interval is not None for p in result.series)
    assert len(result.series) == 100
    # Correctness, not a benchmark (bench/lag_uncertainty.py measures): a per-draw Python
    # loop over 100 x 300 x 2000 would take minutes.
    assert elapsed < 30


def test_counting_and_binary_search_find_the_same_months(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from api.services import lag_uncertainty

    rng = np.random.default_rng(1)
    months = list(range(300))
    tops = np.cumsum(rng.normal(1, 3, (50, 300)), axis=1) + 1000
    frontier = lag_uncertainty._Frontier(months, tops)
    thresholds = rng.uniform(900, 1400, 50)
    for up_to in (0, 10, 255, 299):
        counted = frontier.earliest(thresholds, up_to)
        monkeypatch.setattr(lag_uncertainty, "SCAN_COLUMNS", -1)
        searched = frontier.earliest(thresholds, up_to)
        monkeypatch.undo()
        assert counted.tolist() == searched.tolist()
