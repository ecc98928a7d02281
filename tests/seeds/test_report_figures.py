"""The report's tables are in the database exactly, with their provenance."""

from typing import Any, TypeVar

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.models import (
    AiModel,
    ArenaScore,
    Assessment,
    DataCenter,
    EdwcCluster,
    FundingRecord,
    Indicator,
    NeuripsInstitution,
    Observation,
)
from api.models.base import ProvenanceFields
from api.services.revisions import current_filter

# Appendix B as printed: month, US (score, model, organization), China (score, model, org).
APPENDIX_B = [
    ("2024-01", 1195, "gpt-4-turbo", "OpenAI", 1070, "yi-34b-chat", "01.AI", 125),
    ("2024-02", 1187, "gpt-4-1106-preview", "OpenAI", 1093, "qwen1.5-72b-chat", "Alibaba", 94),
    (
        "2024-03",
        1253,
        "claude-3-opus-20240229",
        "Anthropic",
        1148,
        "qwen1.5-72b-chat",
        "Alibaba",
        105,
    ),
    ("2024-04", 1260, "gpt-4-turbo-2024-04-09", "OpenAI", 1153, "qwen1.5-72b-chat", "Alibaba", 107),
    ("2024-05", 1289, "gpt-4o-2024-05-13", "OpenAI", 1238, "yi-large-preview", "01.AI", 51),
    ("2024-06", 1287, "gpt-4o-2024-05-13", "OpenAI", 1240, "yi-large-preview", "01.AI", 47),
    ("2024-07", 1287, "gpt-4o-2024-05-13", "OpenAI", 1240, "yi-large-preview", "01.AI", 47),
    ("2024-08", 1316, "chatgpt-4o-latest", "OpenAI", 1239, "yi-large-preview", "01.AI", 77),
    ("2024-09", 1355, "o1-preview", "OpenAI", 1256, "qwen2.5-72b-instruct", "Alibaba", 99),
    ("2024-10", 1336, "o1-preview", "OpenAI", 1286, "yi-lightning", "01.AI", 50),
    ("2024-11", 1365, "gemini-exp-1121", "Google", 1287, "yi-lightning", "01.AI", 78),
    ("2024-12", 1379, "gemini-exp-1206", "Google", 1315, "deepseek-v3", "DeepSeek", 64),
    (
        "2025-01",
        1381,
        "gemini-2.0-flash-thinking-exp-01-21",
        "Google",
        1357,
        "deepseek-r1",
        "DeepSeek",
        24,
    ),
    ("2025-02", 1403, "early-grok-3", "xAI", 1362, "deepseek-r1", "DeepSeek", 41),
    ("2025-03", 1411, "grok-3-preview-02-24", "xAI", 1362, "deepseek-r1", "DeepSeek", 49),
]

# Table 4: model, release date, MMLU, GPQA, USD per million input / output tokens.
TABLE_4 = {
    "o1": ("2024-12-17", 91.8, 75.7, 15, 60),
    "deepseek-r1": ("2025-01-20", 90.8, 71.5, 0.55, 2.19),
    "claude-3-5-sonnet-20241022": ("2024-10-22", 90.4, 67.2, 3, 15),
    "qwq-32b-preview": ("2024-11-28", 70.97, 65.2, 0.15, 0.20),
}


T = TypeVar("T", AiModel, ArenaScore)


def _current(session: Session, model: type[T]) -> list[T]:
    return list(session.exec(select(model).where(current_filter(model))))


def test_appendix_b_is_present_exactly(session: Session) -> None:
    models = {m.key: m for m in _current(session, AiModel)}
    seen: dict[str, dict[str, tuple[float, str, str]]] = {}
    for score in _current(session, ArenaScore):
        model = models[score.model_key]
        assert model.country is not None, model.key
        seen.setdefault(score.month, {})[model.country] = (
            score.score,
            model.name,
            model.organization or "",
        )
        assert score.source_location == "Appendix B"
    expected = {
        month: {"US": (us, us_model, us_org), "CN": (cn, cn_model, cn_org)}
        for month, us, us_model, us_org, cn, cn_model, cn_org, _ in APPENDIX_B
    }
    assert seen == expected
    for month, us, *_, cn, _m, _o, gap in APPENDIX_B:
        assert us - cn == gap, month


def test_table_4_is_present_exactly(session: Session) -> None:
    models = {m.key: m for m in _current(session, AiModel)}
    for key, (released, mmlu, gpqa, usd_in, usd_out) in TABLE_4.items():
        model = models[key]
        assert str(model.release_date) == released
        assert (model.mmlu, model.gpqa) == (mmlu, gpqa)
        assert (model.usd_per_m_input, model.usd_per_m_output) == (usd_in, usd_out)
        assert "Table 4" in model.source_location


def _count(session: Session, model: type[DataCenter | EdwcCluster | NeuripsInstitution]) -> int:
    return len(list(session.exec(select(model).where(current_filter(model)))))


def test_appendix_a_table_1_table_5(session: Session) -> None:
    assert _count(session, DataCenter) == 9
    assert _count(session, EdwcCluster) == 10
    table_1 = session.exec(
        select(NeuripsInstitution).where(
            current_filter(NeuripsInstitution),
            col(NeuripsInstitution.source_location).startswith("Table 1"),
        )
    ).all()
    assert {(i.entity, i.papers) for i in table_1} >= {
        ("Tsinghua University", 643),
        ("Peking University", 458),
        ("China Telecommunications Corporation", 2),
    }
    assert len(table_1) == 8
    qingpu = session.exec(
        select(DataCenter).where(current_filter(DataCenter), DataCenter.location == "Qingpu")
    ).one()
    assert (qingpu.company, qingpu.planned_servers, qingpu.hub_zh) == (
        "Tencent Cloud",
        800_000,
        "长三角枢纽",
    )


def test_table_3_keeps_its_qualifiers(session: Session) -> None:
    rows = session.exec(
        select(Observation).where(
            current_filter(Observation), col(Observation.indicator_key).startswith("stem-degrees-")
        )
    ).all()
    got = {(o.indicator_key, o.country): (o.value, o.qualifier) for o in rows}
    assert got == {
        ("stem-degrees-bachelors", "US"): (400_000, "more_than"),
        ("stem-degrees-bachelors", "CN"): (1_500_000, "more_than"),
        ("stem-degrees-masters", "US"): (150_000, "about"),
        ("stem-degrees-masters", "CN"): (200_000, "more_than"),
        ("stem-degrees-doctoral", "US"): (30_000, "more_than"),
        ("stem-degrees-doctoral", "CN"): (35_000, "more_than"),
    }


FUNDING_FIGURES = {
    "us-federal-ai-it-rd-2021": ("USD", 8.2e9),
    "us-federal-ai-it-rd-2024": ("USD", 10.4e9),
    "us-federal-ai-it-rd-fy2025": ("USD", 11.2e9),
    "us-federal-ai-it-rd-fy2025-dod": ("USD", 2.035e9),
    "us-federal-ai-it-rd-fy2025-darpa": ("USD", 1.41e9),
    "us-federal-ai-it-rd-fy2025-civilian": ("USD", 7.33e9),
    "us-federal-ai-core-fy2025": ("USD", 1.955e9),
    "us-federal-ai-core-cross-cut-fy2025": ("USD", 2.8e9),
    "cn-guidance-funds-ai-2000-2023": ("USD", 184e9),
    "cn-guidance-funds-ai-annualized-2013-2023": ("USD", 16.7e9),
    "cn-big-fund-phase-1": ("CNY", 139e9),
    "cn-big-fund-phase-2": ("CNY", 204e9),
    "cn-big-fund-phase-3": ("CNY", 344e9),
    "cn-bank-of-china-ai-five-year-plan": ("CNY", 1e12),
    "cn-national-innovation-investment-guidance-fund": ("CNY", 1e12),
    "cn-national-ai-industry-investment-fund": ("CNY", 60e9),
    "us-ny-empire-ai": ("USD", 565e6),
    "us-openai-stargate": ("USD", 500e9),
    "us-meta-ai-spend-2025": ("USD", 65e9),
    "us-google-ai-infrastructure": ("USD", 75e9),
    "cn-edwc-project": ("CNY", 43.5e9),
    "cn-semiconductor-local-government-funds": ("USD", 25e9),
    "cn-semiconductor-below-market-loans-2014-2018": ("USD", 4.85e9),
    "cn-moe-cas-state-key-labs-rd": ("CNY", 2.4e9),
    "cn-central-government-ai-rd-estimate": ("USD", 2e9),
}


def test_every_money_figure_of_the_funding_and_semiconductor_sections(session: Session) -> None:
    records = {
        r.key: r for r in session.exec(select(FundingRecord).where(current_filter(FundingRecord)))
    }
    for key, (currency, amount) in FUNDING_FIGURES.items():
        assert (records[key].currency, records[key].amount) == (currency, amount), key
        assert records[key].source_location
    # Parts of the FY2025 budget point at the total that already includes them.
    assert records["us-federal-ai-it-rd-fy2025-dod"].overlaps_with == "us-federal-ai-it-rd-fy2025"


def test_each_key_finding_is_an_assessment_with_its_icd203_range(session: Session) -> None:
    findings = session.exec(
        select(Assessment).where(
            current_filter(Assessment), Assessment.source_location == "Key Findings"
        )
    ).all()
    assert len(findings) == 12
    for finding in findings:
        assert finding.likelihood is not None
        assert finding.probability_min is not None
        assert finding.probability_max is not None
        assert finding.probability_min < finding.probability_max
    likely = next(f for f in findings if f.key == "kf-model-gap")
    assert (likely.likelihood, likely.probability_min, likely.probability_max) == (
        "likely",
        55,
        80,
    )


def test_each_pillar_has_a_headline_indicator_with_both_countries(session: Session) -> None:
    headlines = session.exec(
        select(Indicator).where(current_filter(Indicator), col(Indicator.headline).is_(True))
    ).all()
    pillars = {i.pillar for i in headlines}
    assert pillars >= {"talent", "diffusion", "compute", "models"}
    for indicator in headlines:
        countries = set(
            session.exec(
                select(Observation.country).where(
                    current_filter(Observation), Observation.indicator_key == indicator.key
                )
            )
        )
        assert {"US", "CN"} <= countries or indicator.pillar == "models", indicator.key


def test_every_record_names_its_source_and_location(session: Session) -> None:
    models: list[type[ProvenanceFields]] = [
        Observation,
        FundingRecord,
        Assessment,
        ArenaScore,
        AiModel,
        DataCenter,
        EdwcCluster,
        NeuripsInstitution,
    ]
    for model in models:
        for row in session.exec(select(model)):
            assert row.source_key == "insikt-2025-us-china-ai-gap"
            assert row.source_location.strip(), row


# --- issue 13: the figures that were still missing, each reachable with its location ----

ADDED_OBSERVATIONS = {
    # key: (value, qualifier, source_location)
    "release-days-after-us-peer-cn-deepseek-r1": (34, "exact", "Table 4"),
    "release-days-after-us-peer-cn-qwq-32b-preview": (37, "exact", "Table 4"),
    "input-price-advantage-vs-us-peer-cn-deepseek-r1": (27.4, "exact", "Table 4"),
    "output-price-advantage-vs-us-peer-cn-deepseek-r1": (27.3, "exact", "Table 4"),
    "input-price-advantage-vs-us-peer-cn-qwq-32b-preview": (20, "exact", "Table 4"),
    "output-price-advantage-vs-us-peer-cn-qwq-32b-preview": (75, "exact", "Table 4"),
    "government-vc-funds-ai-share-cn-2013-2023": (23, "exact", "footnote 19"),
    "llama3-to-map-cc-size-ratio-us-2024-04": (
        12,
        "about",
        "section The Model Gap > Data Acquisition",
    ),
    "cn-skls-supervised-by-moe-cas-share-cn": (
        50,
        "about",
        "section Government and Venture Capital (VC) Funding",
    ),
    "us-space-program-spending-us-1967": (35e9, "between", "section Background"),
}

TIMELINE = {
    # key: (event_date, precision, source_location)
    "five-eyes-ai-targeted-statement-2023-10": (
        "2023-10-01",
        "month",
        "section China's AI Industry and Landscape",
    ),
    "us-doj-indictment-former-google-engineer-2025-02": (
        "2025-02-01",
        "month",
        "section China's AI Industry and Landscape",
    ),
    "kr-sk-hynix-former-employee-conviction-2024-11": (
        "2024-11-01",
        "month",
        "section China's AI Industry and Landscape",
    ),
    "shanghai-ai-lab-founded-2020": (
        "2020-01-01",
        "year",
        "section China's AI Industry and Landscape",
    ),
    "cn-large-model-working-group-2023-07": (
        "2023-07-01",
        "month",
        "section China's AI Industry and Landscape",
    ),
    "ant-group-domestic-chip-training-2025-03": (
        "2025-03-01",
        "month",
        "section China's AI Industry and Landscape",
    ),
    "iflytek-xinghuo-4-huawei-infrastructure-2024-06": (
        "2024-06-01",
        "month",
        "section The Compute Gap",
    ),
    "harbin-institute-euv-light-source-2025-01": (
        "2025-01-01",
        "month",
        "section The Compute Gap > Alternative EUV Techniques",
    ),
    "smee-lpp-euv-patent-2023-03": (
        "2023-03-01",
        "month",
        "section The Compute Gap > Alternative EUV Techniques",
    ),
    "google-grouped-query-attention-2023": (
        "2023-01-01",
        "year",
        "section The Model Gap > Model Performance",
    ),
    "deepseek-grpo-2024-04": ("2024-04-01", "month", "section The Model Gap > Model Performance"),
    "openai-gpt-3-trained-2020": ("2020-01-01", "year", "section The Compute Gap"),
    "openai-chatgpt-release-2022-11": ("2022-11-01", "month", "section The Compute Gap"),
    "nber-chilling-effect-working-paper-2024-10": (
        "2024-10-01",
        "month",
        "section Talent Pool > Access to STEM Talent",
    ),
    "cset-talent-plans-report-2024-05": (
        "2024-05-01",
        "month",
        "section Talent Pool > Access to STEM Talent",
    ),
    "cn-large-aircraft-megaproject-plan-2006-2020": (
        "2006-01-01",
        "year",
        "section AI Diffusion > Government Support",
    ),
    "sputnik-launch-1957-10-04": ("1957-10-04", "day", "section Background"),
    "us-johnson-space-program-remarks-1967": ("1967-01-01", "year", "section Background"),
    "openai-o1-initial-release-2024-09": (
        "2024-09-01",
        "month",
        "section The Model Gap > Model Performance",
    ),
}


def test_added_observations_are_served_with_their_location(client: TestClient) -> None:
    for key, (value, qualifier, location) in ADDED_OBSERVATIONS.items():
        response = client.get(f"/v1/observations/{key}")
        assert response.status_code == 200, key
        body = response.json()
        assert (body["value"], body["qualifier"], body["source_location"]) == (
            value,
            qualifier,
            location,
        ), key
    space = client.get("/v1/observations/us-space-program-spending-us-1967").json()
    assert space["value_max"] == 40e9


def test_dated_events_are_timeline_records_with_their_location(client: TestClient) -> None:
    for key, (day, precision, location) in TIMELINE.items():
        response = client.get(f"/v1/timeline/events/{key}")
        assert response.status_code == 200, key
        body = response.json()
        assert (body["event_date"], body["date_precision"], body["source_location"]) == (
            day,
            precision,
            location,
        ), key
    c919 = client.get("/v1/timeline/events/cn-large-aircraft-megaproject-plan-2006-2020").json()
    assert c919["end_date"] == "2020-12-31"
    listed = client.get("/v1/timeline/events", params={"limit": 100}).json()
    assert {i["key"] for i in listed["items"]} >= set(TIMELINE)
    dates = [i["event_date"] for i in listed["items"]]
    assert dates == sorted(dates)


def test_inferred_values_are_marked_in_a_field(client: TestClient) -> None:
    meta = client.get("/v1/funding/records/us-meta-ai-spend-2025").json()
    assert meta["inferred_fields"] == "period_start,period_end"
    reported = client.get("/v1/funding/records/us-federal-ai-it-rd-fy2025").json()
    assert reported["inferred_fields"] is None
    rate = client.get("/v1/observations/fx-usd-per-cny-2025-03").json()
    assert (rate["value"], rate["inferred_fields"]) == (0.1382, "value,period")


def test_funding_classification_fixes(client: TestClient) -> None:
    def record(key: str) -> dict[str, Any]:
        body: dict[str, Any] = client.get(f"/v1/funding/records/{key}").json()
        return body

    for key in ("cn-big-fund-phase-1", "cn-big-fund-phase-2", "cn-big-fund-phase-3"):
        assert record(key)["measure"] == "fund_size", key
    meta, google = record("us-meta-ai-spend-2025"), record("us-google-ai-infrastructure")
    assert meta["status"] == google["status"] == "projected"
    for plan in (meta, google):
        assert (plan["overlaps_with"], plan["overlap_kind"]) == (
            "us-ai-capex-2025",
            "possibly_part_of",
        )
    estimate = record("cn-central-government-ai-rd-estimate")
    assert (estimate["amount_usd"], estimate["amount_usd_max"]) == (2e9, 9e9)
    assert (estimate["qualifier"], estimate["confidence"], estimate["amount_basis"]) == (
        "between",
        "low",
        "per_year",
    )
    every = client.get("/v1/funding/records", params={"limit": 1000}).json()["items"]
    assert all(r["measure"] for r in every)


def test_a_period_we_chose_is_marked_inferred(session: Session) -> None:
    chosen = [
        o
        for o in session.exec(select(Observation).where(current_filter(Observation)))
        if o.note and "period is the report's year" in o.note.lower()
    ]
    assert len(chosen) > 20
    unmarked = [o.key for o in chosen if "period" not in (o.inferred_fields or "").split(",")]
    assert unmarked == []
