"""Funding totals as a pure function: only like with like, bounds kept, nothing silent."""

from dataclasses import replace
from datetime import date

import pytest

from api.models.base import Status
from api.models.funding import FundingMeasure
from api.models.totals import Bound, ExclusionRule, GroupField, RateBasis
from api.services.totals import (
    FundingItem,
    ReferenceRate,
    bound_of,
    compute_totals,
    period_label,
    to_usd,
)

BASE = FundingItem(
    key="x",
    country="US",
    level="central_government",
    measure="annual_budget",
    status="actual",
    qualifier="exact",
    amount=1e9,
    amount_max=None,
    currency="USD",
    amount_usd=1e9,
    amount_usd_max=None,
    usd_converted=False,
    fx_rate=None,
    fx_rate_date=None,
    fx_rate_source=None,
    amount_basis="total",
    period_start=date(2024, 1, 1),
    period_end=date(2024, 12, 31),
    annualize_start=None,
    annualize_end=None,
    overlaps_with=None,
    overlap_kind=None,
)
FY2025 = {"period_start": date(2024, 10, 1), "period_end": date(2025, 9, 30)}


def item(key: str, **changes: object) -> FundingItem:
    return replace(BASE, key=key, **changes)  # type: ignore[arg-type]


def reasons(result: object) -> dict[str, str]:
    return {e.key: e.reason for e in result.excluded}  # type: ignore[attr-defined]


# --- measures and periods ---------------------------------------------------------------


def test_no_group_adds_two_measures() -> None:
    items = [
        item("budget", measure="annual_budget"),
        item("fund", measure="fund_size", level="central_government"),
        item("capex", measure="capex_plan"),
    ]
    result = compute_totals(items, group_by=[GroupField.country])
    assert sorted((g.measure, g.amount_usd) for g in result.groups) == [
        ("annual_budget", 1e9),
        ("capex_plan", 1e9),
        ("fund_size", 1e9),
    ]
    assert all(g.count == 1 for g in result.groups)
    assert not hasattr(result, "total_usd")  # no total across groups, ever


def test_no_group_adds_two_periods_without_annualize() -> None:
    items = [
        item(
            "2021",
            amount_usd=8.2e9,
            amount=8.2e9,
            period_start=date(2021, 1, 1),
            period_end=date(2021, 12, 31),
        ),
        item("2024", amount_usd=10.4e9, amount=10.4e9),
        item("fy2025", amount_usd=11.2e9, amount=11.2e9, **FY2025),
    ]
    result = compute_totals(items, group_by=[GroupField.country, GroupField.level])
    assert [(g.period, g.amount_usd, g.per_year) for g in result.groups] == [
        ("2021", 8.2e9, True),
        ("2024", 10.4e9, True),
        ("2024-10/2025-09", 11.2e9, True),
    ]


def test_same_measure_and_period_add() -> None:
    items = [item("a", **FY2025), item("b", **FY2025, level="subnational")]
    result = compute_totals(items, group_by=[GroupField.country])
    (group,) = result.groups
    assert (group.amount_usd, group.count, group.record_keys) == (2e9, 2, ["a", "b"])


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2024, 1, 1), date(2024, 12, 31), "2024"),
        (date(2013, 1, 1), date(2023, 12, 31), "2013/2023"),
        (date(2024, 10, 1), date(2025, 9, 30), "2024-10/2025-09"),
        (date(2024, 5, 1), date(2024, 5, 31), "2024-05"),
        (date(2025, 1, 21), date(2029, 1, 20), "2025-01-21/2029-01-20"),
        (date(2014, 1, 1), None, "2014-01-01/.."),
        (None, None, "unknown"),
    ],
)
def test_period_labels_are_iso_8601(start: date | None, end: date | None, label: str) -> None:
    assert period_label(start, end) == label


def test_a_year_filter_lists_what_it_drops() -> None:
    items = [
        item("inside"),
        item("undated", period_start=None, period_end=None),
        item("span", period_start=date(2000, 1, 1), period_end=date(2023, 12, 31)),
    ]
    result = compute_totals(items, from_year=2024, to_year=2024)
    assert [g.record_keys for g in result.groups] == [["inside"]]
    rules = {e.key: e.rule for e in result.excluded}
    assert rules == {"undated": ExclusionRule.undated, "span": ExclusionRule.outside_years}


# --- annualizing --------------------------------------------------------------------------


def guidance_funds(**changes: object) -> FundingItem:
    return item(
        "nber",
        measure="period_spending",
        country="CN",
        level="government_guidance_funds",
        amount=184e9,
        amount_usd=184e9,
        period_start=date(2000, 1, 1),
        period_end=date(2023, 12, 31),
        annualize_start=date(2013, 1, 1),
        annualize_end=date(2023, 12, 31),
        **changes,
    )


def test_annualize_uses_the_span_the_source_gives() -> None:
    result = compute_totals([guidance_funds()], group_by=[], annualize=True)
    assert [g.period for g in result.groups] == [str(y) for y in range(2013, 2024)]
    assert {g.amount_usd for g in result.groups} == {round(184e9 / 11, 2)}
    assert all(g.per_year for g in result.groups)
    (how,) = result.groups[0].annualized
    assert (how.span_from, how.years, how.span_start) == (
        "annualize_start/annualize_end",
        11,
        date(2013, 1, 1),
    )
    assert round(how.per_year_usd / 1e9, 1) == 16.7


def test_without_a_source_span_annualize_spreads_over_the_period() -> None:
    stargate = item(
        "stargate",
        measure="capex_plan",
        amount=500e9,
        amount_usd=500e9,
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
    )
    spread = compute_totals([stargate], group_by=[], annualize=True)
    assert [g.period for g in spread.groups] == ["2025", "2026", "2027", "2028"]
    assert {g.amount_usd for g in spread.groups} == {125e9}


def test_partial_years_get_their_fraction() -> None:
    half = item(
        "half", amount_usd=3e9, period_start=date(2023, 7, 1), period_end=date(2024, 12, 31)
    )
    result = compute_totals([half], group_by=[], annualize=True)
    shares = {g.period: g.amount_usd for g in result.groups}
    assert shares["2023"] == pytest.approx(1e9, rel=0.01)
    assert shares["2024"] == pytest.approx(2e9, rel=0.01)


def test_a_fiscal_year_stays_whole_in_the_year_it_ends_in() -> None:
    result = compute_totals([item("fy", **FY2025)], group_by=[], annualize=True)
    assert [(g.period, g.amount_usd) for g in result.groups] == [("2025", 1e9)]


def test_fund_sizes_are_stocks_and_undated_amounts_cannot_be_annualized() -> None:
    items = [
        item("fund", measure="fund_size"),
        item(
            "phase-3",
            measure="fund_size",
            annualize_start=date(2024, 5, 1),
            annualize_end=date(2039, 5, 31),
        ),
        item("undated", measure="period_spending", period_start=None, period_end=None),
        item(
            "rate",
            measure="period_spending",
            amount_basis="per_year",
            period_start=None,
            period_end=None,
        ),
    ]
    result = compute_totals(items, group_by=[], annualize=True)
    rules = {e.key: e.rule for e in result.excluded}
    assert rules == {
        "fund": ExclusionRule.stock,
        "undated": ExclusionRule.undated,
        "rate": ExclusionRule.undated,
    }
    assert {k for g in result.groups for k in g.record_keys} == {"phase-3"}


def test_per_year_rates_count_once_per_year_and_never_as_a_total() -> None:
    rate = item(
        "rate",
        amount_basis="per_year",
        amount_usd=16.7e9,
        period_start=date(2013, 1, 1),
        period_end=date(2023, 12, 31),
    )
    plain = compute_totals([rate], group_by=[])
    assert [(g.period, g.per_year, g.amount_usd) for g in plain.groups] == [
        ("2013/2023", True, 16.7e9)
    ]
    spread = compute_totals([rate], group_by=[], annualize=True, from_year=2020, to_year=2021)
    assert [(g.period, g.amount_usd) for g in spread.groups] == [("2020", 16.7e9), ("2021", 16.7e9)]


# --- overlaps -----------------------------------------------------------------------------


def test_parts_that_overlap_a_counted_total_are_not_counted_twice() -> None:
    items = [
        item("fy25", amount_usd=11.2e9, status="budgeted", **FY2025),
        item(
            "fy25-dod",
            amount_usd=2.035e9,
            status="budgeted",
            overlaps_with="fy25",
            overlap_kind="part_of",
            **FY2025,
        ),
        item(
            "fy25-civil",
            amount_usd=7.33e9,
            status="budgeted",
            overlaps_with="fy25",
            overlap_kind="part_of",
            **FY2025,
        ),
        item(
            "fy25-core",
            amount_usd=1.955e9,
            status="budgeted",
            overlaps_with="fy25-civil",
            overlap_kind="part_of",
            **FY2025,
        ),
    ]
    result = compute_totals(items, group_by=[GroupField.country])
    assert [(g.amount_usd, g.record_keys) for g in result.groups] == [(11.2e9, ["fy25"])]
    assert reasons(result)["fy25-core"] == (
        "already included in fy25, which is counted in this group"
    )


def test_a_part_counts_when_its_whole_is_not_selected() -> None:
    items = [
        item("whole", status="announced", amount_usd=10e9),
        item("part", amount_usd=3e9, overlaps_with="whole", overlap_kind="part_of"),
    ]
    assert compute_totals(items).groups[0].amount_usd == 3e9
    asked = compute_totals(items, statuses=[Status.actual, Status.announced])
    assert asked.groups[0].amount_usd == 10e9
    only_part = compute_totals(items, keys=["part"], statuses=list(Status))
    assert only_part.groups[0].record_keys == ["part"]


def test_possible_overlaps_are_not_added_and_say_why() -> None:
    items = [
        item("capex", measure="capex_plan", amount_usd=320e9, qualifier="more_than"),
        item(
            "meta",
            measure="capex_plan",
            amount_usd=65e9,
            qualifier="more_than",
            overlaps_with="capex",
            overlap_kind="possibly_part_of",
        ),
    ]
    result = compute_totals(items, group_by=[])
    (group,) = result.groups
    assert (group.amount_usd, group.bound) == (320e9, Bound.at_least)
    assert "may already be included in capex" in reasons(result)["meta"]
    exact_cover = compute_totals(
        [
            item("capex", measure="capex_plan", amount_usd=320e9),
            item(
                "meta",
                measure="capex_plan",
                amount_usd=65e9,
                overlaps_with="capex",
                overlap_kind="possibly_part_of",
            ),
        ],
        group_by=[],
    )
    (group,) = exact_cover.groups
    assert (group.amount_usd, group.bound) == (320e9, Bound.at_least)  # meta may be extra


def test_same_money_in_another_measure_or_period_is_not_an_overlap() -> None:
    rate = item(
        "rate",
        measure="period_spending",
        amount_basis="per_year",
        amount_usd=16.7e9,
        period_start=date(2013, 1, 1),
        period_end=date(2023, 12, 31),
        overlaps_with="nber",
        overlap_kind="same_money",
        country="CN",
        level="government_guidance_funds",
    )
    plain = compute_totals([guidance_funds(), rate], group_by=[])
    assert len(plain.groups) == 2  # a total and a rate: never added, both shown
    spread = compute_totals([guidance_funds(), rate], group_by=[], annualize=True)
    assert {k for g in spread.groups for k in g.record_keys} == {"nber"}
    assert "the same money as nber" in reasons(spread)["rate"]


def test_announced_and_target_only_when_asked() -> None:
    items = [item("a", status="announced"), item("t", status="target"), item("b")]
    default = compute_totals(items)
    assert [g.record_keys for g in default.groups] == [["b"]]
    assert {e.key: e.rule for e in default.excluded} == {
        "a": ExclusionRule.status,
        "t": ExclusionRule.status,
    }
    every = compute_totals(items, statuses=list(Status))
    assert every.groups[0].amount_usd == 3e9


# --- bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifiers", "bound"),
    [
        (["exact", "exact"], Bound.exact),
        (["exact", "more_than"], Bound.at_least),
        (["about", "at_least"], Bound.at_least),
        (["up_to", "exact"], Bound.at_most),
        (["more_than", "less_than"], Bound.unbounded),
        (["between", "exact"], Bound.range),
        (["about", "exact"], Bound.approximate),
    ],
)
def test_bound_from_qualifiers(qualifiers: list[str], bound: Bound) -> None:
    assert bound_of(qualifiers) == bound


def test_a_more_than_member_makes_the_sum_a_floor_and_ranges_add_up() -> None:
    floor = compute_totals([item("a"), item("b", qualifier="more_than")], group_by=[])
    assert (floor.groups[0].amount_usd, floor.groups[0].bound) == (2e9, Bound.at_least)
    ranged = compute_totals(
        [
            item("a"),
            item(
                "r",
                qualifier="between",
                amount_usd=2e9,
                amount_usd_max=9e9,
                amount=2e9,
                amount_max=9e9,
            ),
        ],
        group_by=[],
    )
    group = ranged.groups[0]
    assert (group.amount_usd, group.amount_usd_max, group.bound) == (3e9, 10e9, Bound.range)
    ceiling = compute_totals(
        [item("a"), item("u", qualifier="up_to", amount_usd=4e9, amount=4e9)], group_by=[]
    )
    assert (ceiling.groups[0].amount_usd, ceiling.groups[0].bound) == (5e9, Bound.at_most)


# --- conversions --------------------------------------------------------------------------

RATES = [
    ReferenceRate("CNY", 0.1382, date(2025, 3, 31), "fx-usd-per-cny-2025-03", "section X"),
    ReferenceRate("CNY", 0.151079, date(2014, 12, 31), "fx-usd-per-cny-2014", "section Y"),
]


def test_every_conversion_states_its_rate_date_and_origin() -> None:
    source_given = item("big-fund", currency="CNY", amount=139e9, amount_usd=21e9)
    stored = item(
        "stored",
        currency="CNY",
        amount=7.2e9,
        amount_usd=1e9,
        usd_converted=True,
        fx_rate=0.1389,
        fx_rate_date=date(2025, 1, 2),
        fx_rate_source="PBOC parity",
    )
    looked_up = item(
        "rmb-only",
        currency="CNY",
        amount=10e9,
        amount_usd=None,
        period_start=date(2024, 6, 1),
        period_end=date(2025, 5, 31),
    )
    old = item(
        "rmb-2014",
        currency="CNY",
        amount=10e9,
        amount_usd=None,
        period_start=date(2014, 1, 1),
        period_end=date(2014, 12, 31),
    )
    conversions = {
        i.key: to_usd(i, RATES).conversion for i in (source_given, stored, looked_up, old)
    }
    first = conversions["big-fund"]
    assert first is not None
    assert (first.rate_basis, first.fx_rate, first.fx_rate_date) == (
        RateBasis.source,
        round(21 / 139, 6),
        None,
    )
    second = conversions["stored"]
    assert second is not None
    assert (second.rate_basis, second.fx_rate, second.rate_source) == (
        RateBasis.record,
        0.1389,
        "PBOC parity",
    )
    third = conversions["rmb-only"]
    assert third is not None
    assert (third.rate_basis, third.fx_rate, third.amount_usd) == (
        RateBasis.reference,
        0.1382,
        1.382e9,
    )
    assert "fx-usd-per-cny-2025-03" in third.rate_source
    fourth = conversions["rmb-2014"]
    assert fourth is not None
    assert fourth.fx_rate == 0.151079  # the rate nearest in date


def test_conversions_are_listed_per_group_and_a_missing_rate_is_not_guessed() -> None:
    items = [
        item("usd"),
        item("cny", currency="CNY", amount=7e9, amount_usd=1e9),
        item("eur", currency="EUR", amount=1e9, amount_usd=None),
    ]
    result = compute_totals(items, group_by=[], rates=RATES)
    (group,) = result.groups
    assert [c.key for c in group.conversions] == ["cny"]
    (left,) = result.excluded
    assert (left.key, left.rule) == ("eur", ExclusionRule.no_usd)


# --- filters ------------------------------------------------------------------------------


def test_filters_and_groups() -> None:
    items = [
        item("us-a"),
        item("us-ny", country="US-NY", level="subnational"),
        item("cn-a", country="CN"),
        item("cn-b", country="CN", status="estimate"),
        item("cn-fund", country="CN", measure="fund_size"),
    ]
    by_status = compute_totals(items, group_by=[GroupField.country, GroupField.status])
    assert [(g.measure, g.country, g.status) for g in by_status.groups] == [
        ("annual_budget", "CN", "actual"),
        ("annual_budget", "CN", "estimate"),
        ("annual_budget", "US", "actual"),
        ("annual_budget", "US-NY", "actual"),
        ("fund_size", "CN", "actual"),
    ]
    us = compute_totals(items, country="US", group_by=[GroupField.country])
    assert {g.country for g in us.groups} == {"US", "US-NY"}  # subdivisions belong to it
    funds = compute_totals(items, measure=FundingMeasure.fund_size)
    assert [g.record_keys for g in funds.groups] == [["cn-fund"]]
