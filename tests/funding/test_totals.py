"""Funding totals as a pure function."""

from dataclasses import replace
from datetime import date

import pytest

from api.models.base import Status
from api.models.totals import GroupField
from api.services.totals import FundingItem, compute_totals

BASE = FundingItem(
    key="x",
    country="US",
    level="central_government",
    status="actual",
    amount=1e9,
    currency="USD",
    amount_usd=1e9,
    usd_converted=False,
    fx_rate=None,
    fx_rate_date=None,
    amount_basis="total",
    period_start=date(2024, 1, 1),
    period_end=date(2024, 12, 31),
    overlaps_with=None,
)


def item(key: str, **changes: object) -> FundingItem:
    return replace(BASE, key=key, **changes)  # type: ignore[arg-type]


def test_parts_that_overlap_a_counted_total_are_not_counted_twice() -> None:
    items = [
        item("fy25", amount_usd=11.2e9, status="budgeted"),
        item("fy25-dod", amount_usd=2.035e9, status="budgeted", overlaps_with="fy25"),
        item("fy25-civil", amount_usd=7.33e9, status="budgeted", overlaps_with="fy25"),
        item("fy25-core", amount_usd=1.955e9, status="budgeted", overlaps_with="fy25-civil"),
    ]
    result = compute_totals(items, group_by=[GroupField.country])
    assert result.total_usd == 11.2e9
    assert result.groups[0].record_keys == ["fy25"]
    reasons = {e.key: e.reason for e in result.excluded}
    assert reasons["fy25-core"] == "already included in fy25 (overlaps_with)"


def test_a_part_counts_when_its_total_is_outside_the_selection() -> None:
    items = [
        item("whole", status="announced", amount_usd=10e9),
        item("part", status="actual", amount_usd=3e9, overlaps_with="whole"),
    ]
    assert compute_totals(items).total_usd == 3e9
    asked = compute_totals(items, statuses=[Status.actual, Status.announced])
    assert asked.total_usd == 10e9


def test_announced_and_target_only_when_asked() -> None:
    items = [item("a", status="announced"), item("t", status="target"), item("b")]
    default = compute_totals(items)
    assert default.total_usd == 1e9
    assert {e.key for e in default.excluded} == {"a", "t"}
    every = compute_totals(items, statuses=list(Status))
    assert every.total_usd == 3e9


def test_annualize_spreads_a_multi_year_total_by_days() -> None:
    stargate = item(
        "stargate",
        amount_usd=500e9,
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
    )
    plain = compute_totals([stargate], group_by=[GroupField.year])
    assert [(g.year, g.amount_usd) for g in plain.groups] == [("2025/2028", 500e9)]
    spread = compute_totals([stargate], group_by=[GroupField.year], annualize=True)
    assert [g.year for g in spread.groups] == ["2025", "2026", "2027", "2028"]
    assert sum(g.amount_usd for g in spread.groups) == pytest.approx(500e9)
    assert spread.groups[0].amount_usd == pytest.approx(500e9 * 365 / 1461)


def test_a_fiscal_year_belongs_to_the_year_it_ends_in() -> None:
    fy = item("fy", period_start=date(2024, 10, 1), period_end=date(2025, 9, 30))
    result = compute_totals([fy], group_by=[GroupField.year], annualize=True)
    assert [(g.year, g.amount_usd) for g in result.groups] == [("2025", 1e9)]


def test_per_year_rates_count_once_per_year() -> None:
    rate = item(
        "rate",
        amount_basis="per_year",
        amount_usd=16.7e9,
        period_start=date(2013, 1, 1),
        period_end=date(2023, 12, 31),
    )
    result = compute_totals([rate], group_by=[GroupField.year])
    assert len(result.groups) == 11
    assert {g.amount_usd for g in result.groups} == {16.7e9}
    window = compute_totals([rate], group_by=[GroupField.year], from_year=2020, to_year=2021)
    assert [g.year for g in window.groups] == ["2020", "2021"]


def test_missing_usd_is_listed_not_guessed_and_conversions_are_shown() -> None:
    items = [
        item("rmb-only", currency="CNY", amount=7e9, amount_usd=None),
        item(
            "converted",
            currency="CNY",
            amount=7.2e9,
            amount_usd=1e9,
            usd_converted=True,
            fx_rate=0.1389,
            fx_rate_date=date(2025, 1, 2),
        ),
    ]
    result = compute_totals(items, group_by=[GroupField.country])
    assert result.total_usd == 1e9
    assert result.excluded[0].key == "rmb-only"
    (conversion,) = result.groups[0].converted
    assert (conversion.key, conversion.fx_rate, conversion.currency) == ("converted", 0.1389, "CNY")


def test_groups_by_any_fields_with_ids_and_counts() -> None:
    items = [
        item("us-a"),
        item("us-b", level="subnational"),
        item("cn-a", country="CN"),
        item("cn-b", country="CN", status="estimate"),
    ]
    by_country = compute_totals(items, group_by=[GroupField.country])
    assert [(g.country, g.count, g.record_keys) for g in by_country.groups] == [
        ("CN", 2, ["cn-a", "cn-b"]),
        ("US", 2, ["us-a", "us-b"]),
    ]
    by_status = compute_totals(items, group_by=[GroupField.country, GroupField.status])
    assert [(g.country, g.status) for g in by_status.groups] == [
        ("CN", "actual"),
        ("CN", "estimate"),
        ("US", "actual"),
    ]
    only_cn = compute_totals(items, country="CN")
    assert only_cn.total_usd == 2e9


def test_undated_amounts_are_grouped_as_unknown_year() -> None:
    undated = item("undated", period_start=None, period_end=None)
    result = compute_totals([undated], group_by=[GroupField.year])
    assert result.groups[0].year == "unknown"
    assert compute_totals([undated], from_year=2020).total_usd == 0
