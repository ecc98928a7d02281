"""The Elo lag as a pure function: the report's own check, and the edge cases."""

import time
from collections.abc import Mapping

import pytest

from api.models.lag import LagMethod, LagTrend, Leader
from api.services.lag import ArenaPoint, compute_lag, month_label
from tests.seeds.test_report_figures import APPENDIX_B


def _appendix_b() -> list[ArenaPoint]:
    points = []
    for month, us, us_model, us_org, cn, cn_model, cn_org, _ in APPENDIX_B:
        points.append(ArenaPoint(month, us_model, us_org, "US", us))
        points.append(ArenaPoint(month, cn_model, cn_org, "CN", cn))
    return points


def _series(us: Mapping[str, float], cn: Mapping[str, float]) -> list[ArenaPoint]:
    return [ArenaPoint(m, f"us-{m}", "U", "US", s) for m, s in us.items()] + [
        ArenaPoint(m, f"cn-{m}", "C", "CN", s) for m, s in cn.items()
    ]


def test_reproduces_the_gap_column_of_appendix_b() -> None:
    result = compute_lag(_appendix_b())
    assert [(p.month, p.gap_points) for p in result.series] == [
        (month, gap) for month, *_, gap in APPENDIX_B
    ]


def test_reproduces_the_reports_reading_of_appendix_b() -> None:
    series = {p.month: p for p in compute_lag(_appendix_b()).series}
    # DeepSeek R1 and yi-large-preview brought the lag under three months.
    assert series["2024-05"].lag_months == 2
    assert series["2024-05"].cn is not None
    assert series["2024-05"].cn.model == "yi-large-preview"
    assert series["2024-05"].matched_month == "2024-03"  # claude-3-opus
    assert series["2025-01"].lag_months == 2
    assert series["2025-01"].cn is not None
    assert series["2025-01"].cn.model == "deepseek-r1"
    # The first months match the first month of data: lower bounds only.
    assert [m for m, p in series.items() if p.censored] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    assert [series[m].lag_months_at_least for m in ("2024-01", "2024-02", "2024-03")] == [
        0,
        1,
        2,
    ]
    assert all(series[m].lag_months is None for m in ("2024-01", "2024-02", "2024-03"))
    uncensored = [p.lag_months for p in series.values() if not p.censored]
    assert uncensored == [2, 3, 4, 5, 5, 5, 6, 4, 2, 3, 4]
    assert all(isinstance(v, int) and 2 <= v <= 6 for v in uncensored)
    assert all(p.leader is Leader.US for p in series.values())


def test_summary_covers_uncensored_months_only() -> None:
    summary = compute_lag(_appendix_b()).summary
    assert (summary.months, summary.uncensored_months) == (15, 11)
    assert (summary.min, summary.max, summary.median) == (2, 6, 4)
    assert summary.mean == pytest.approx(43 / 11, abs=1e-3)


def test_china_ahead_gives_a_negative_lag_and_says_who_leads() -> None:
    us = {"2024-01": 1000, "2024-02": 1010, "2024-03": 1020}
    cn = {"2024-01": 1025, "2024-02": 1030, "2024-03": 1031}
    series = {p.month: p for p in compute_lag(_series(us, cn)).series}
    # 2024-03: no US month reaches China's 1031, so the countries swap: China first
    # reached the US's 1020 in 2024-01, its first month of data (a lower bound).
    assert series["2024-03"].lag_months is None
    assert series["2024-03"].lag_months_at_least == -2
    assert series["2024-03"].leader is Leader.CN
    assert series["2024-03"].censored is True
    assert series["2024-02"].lag_months_at_least == -1
    # With China's January at 1015 instead, the match moves to February: exact.
    cn["2024-01"] = 1015
    later = {p.month: p for p in compute_lag(_series(us, cn)).series}
    assert (later["2024-03"].lag_months, later["2024-03"].censored) == (-1, False)


def test_a_tie_is_a_zero_lag() -> None:
    result = compute_lag(_series({"2024-01": 900, "2024-02": 1000}, {"2024-02": 1000}))
    point = result.series[-1]
    assert (point.lag_months, point.leader, point.censored) == (0, Leader.tied, False)


def test_tolerance_lets_a_lower_us_score_match() -> None:
    us = {"2024-01": 1000, "2024-02": 1100, "2024-03": 1200}
    cn = {"2024-03": 1195}
    assert compute_lag(_series(us, cn)).series[-1].lag_months == 0
    assert compute_lag(_series(us, cn), tolerance=100).series[-1].lag_months == 1
    tolerant = compute_lag(_series(us, cn), tolerance=200).series[-1]
    assert (tolerant.lag_months, tolerant.lag_months_at_least, tolerant.censored) == (
        None,
        2,
        True,
    )


def test_missing_months_are_gaps_not_zeros() -> None:
    us = {"2024-01": 1000, "2024-04": 1100}
    cn = {"2024-02": 990, "2024-04": 1050}
    series = {p.month: p for p in compute_lag(_series(us, cn)).series}
    assert series["2024-01"].lag_months is None
    assert series["2024-01"].note == "no China score this month"
    assert series["2024-02"].lag_months is None
    # 2024-04: China's 1050 first reached by the US in 2024-04 (January's 1000 is short).
    assert series["2024-04"].lag_months == 0
    assert compute_lag(_series(us, cn)).summary.uncensored_months == 1


def test_one_country_missing_entirely() -> None:
    result = compute_lag(_series({"2024-01": 1000, "2024-02": 1001}, {}))
    assert [p.lag_months for p in result.series] == [None, None]
    assert result.summary.trend is LagTrend.insufficient_data


def test_other_countries_are_ignored_and_the_best_model_wins() -> None:
    points = [
        *_series({"2024-01": 1000, "2024-02": 1100}, {"2024-02": 1050}),
        ArenaPoint("2024-02", "mistral", "Mistral", "FR", 2000),
        ArenaPoint("2024-02", "us-weaker", "U", "US", 900),
    ]
    point = compute_lag(points).series[-1]
    assert point.us is not None
    assert (point.us.model, point.us.score, point.lag_months) == ("us-2024-02", 1100, 0)


def test_interpolated_method_is_fractional_on_the_us_frontier() -> None:
    us = {"2024-01": 1000, "2024-02": 1100, "2024-03": 1200}
    cn = {"2024-03": 1150}
    result = compute_lag(_series(us, cn), method=LagMethod.interpolated)
    assert result.series[-1].lag_months == pytest.approx(0.5)
    assert result.method is LagMethod.interpolated


def test_from_and_to_limit_the_report_not_the_history() -> None:
    result = compute_lag(_appendix_b(), from_month="2024-12", to_month="2025-02")
    assert [(p.month, p.lag_months) for p in result.series] == [
        ("2024-12", 4),
        ("2025-01", 2),
        ("2025-02", 3),
    ]


def test_100000_months_in_near_linear_time() -> None:
    # China repeats the US curve three months later: the lag is 3 after the first months.
    n = 100_000
    start = 12 * 2000
    us = [ArenaPoint(month_label(start + i), "u", "U", "US", float(i)) for i in range(n)]
    cn = [ArenaPoint(month_label(start + i), "c", "C", "CN", float(i - 3)) for i in range(n)]
    began = time.perf_counter()
    result = compute_lag(us + cn)
    elapsed = time.perf_counter() - began
    lags = [p.lag_months for p in result.series]
    assert lags[:4] == [None] * 4
    assert [p.lag_months_at_least for p in result.series[:4]] == [0, 1, 2, 3]
    assert set(lags[4:]) == {3}
    assert result.summary.uncensored_months == n - 4  # months 0..3 match the first month
    # Not a timing assertion on the machine: a quadratic scan (10^10 steps) would never end.
    assert elapsed < 120
