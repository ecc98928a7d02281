"""The scorecard: rules as a pure function, and the report's bottom line from the data."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Assessment, Observation
from api.models.scorecard import Basis, CountryValue, Verdict
from api.services.revisions import content_of, get_current, write_revision
from api.services.scorecard import IndicatorInput, compare, verdict


def value(v: float, qualifier: str = "exact", period: str = "2024") -> CountryValue:
    return CountryValue(
        value=v, qualifier=qualifier, period=period, status="actual", observation=f"o-{v}"
    )


@pytest.mark.parametrize(
    ("indicators", "assessment", "expected"),
    [
        ("US", "US", (Verdict.US, Basis.indicators_and_assessment)),
        ("CN", "CN", (Verdict.CN, Basis.indicators_and_assessment)),
        ("CN", "contested", (Verdict.contested, Basis.indicators_and_assessment)),
        ("US", "CN", (Verdict.contested, Basis.indicators_and_assessment)),
        ("US", "neither", (Verdict.US, Basis.indicators_and_assessment)),
        ("split", "US", (Verdict.US, Basis.indicators_and_assessment)),
        ("split", "neither", (Verdict.contested, Basis.indicators_and_assessment)),
        (None, "US", (Verdict.US, Basis.assessment)),
        (None, "contested", (Verdict.contested, Basis.assessment)),
        (None, "neither", (Verdict.not_stated, Basis.assessment)),
        ("CN", None, (Verdict.CN, Basis.indicators)),
        ("split", None, (Verdict.contested, Basis.indicators)),
        (None, None, (Verdict.not_stated, Basis.none)),
    ],
)
def test_verdict_rules(
    indicators: str | None, assessment: str | None, expected: tuple[Verdict, Basis]
) -> None:
    outcome, basis, reason = verdict(indicators, assessment)
    assert (outcome, basis) == expected
    assert reason


def test_comparison_direction_ratio_trend_and_certainty() -> None:
    lower_is_better = IndicatorInput(
        "lag",
        "models",
        "Lag",
        "months",
        False,
        {"US": [value(2)], "CN": [value(5), value(6, period="2023")]},
    )
    result = compare(lower_is_better)
    assert (result.leader, result.ratio_us_to_cn, result.certain) == ("US", 0.4, True)
    assert result.cn is not None
    assert result.cn.trend == "falling"
    open_ended = IndicatorInput(
        "papers",
        "talent",
        "Papers",
        "papers",
        True,
        {"US": [value(7479)], "CN": [value(3700, "more_than")]},
    )
    assert compare(open_ended).certain is False  # "more than 3,700" could exceed 7,479
    no_direction = IndicatorInput(
        "d", "talent", "D", "x", None, {"US": [value(1)], "CN": [value(2)]}
    )
    assert compare(no_direction).leader is None


def test_the_reports_bottom_line_falls_out_of_the_data(client: TestClient) -> None:
    body = client.get("/v1/scorecard").json()
    verdicts = {p["pillar"]: p["verdict"] for p in body["pillars"]}
    assert verdicts == {
        "funding": "contested",
        "regulation": "not_stated",
        "talent": "US",
        "diffusion": "contested",
        "models": "US",
        "compute": "US",
    }
    assert body["bottom_line"]["china_leads_any_pillar"] is False
    assert body["bottom_line"]["statement"] == "China does not clearly lead on any pillar."
    assert body["bottom_line"]["not_stated"] == ["regulation"]
    compute = next(p for p in body["pillars"] if p["pillar"] == "compute")
    accelerators = compute["indicators"][0]
    assert (accelerators["indicator"], accelerators["leader"]) == ("ai-accelerators", "US")
    assert accelerators["us"]["value"] == 14_310_000
    assert compute["assessment"]["key"] == "kf-semiconductor-bottleneck"
    assert body["rules"]


def test_changing_the_data_changes_the_verdict(client: TestClient, session: Session) -> None:
    etag = client.get("/v1/scorecard").headers["etag"]
    accelerators = get_current(session, Observation, "ai-accelerators-cn-2025")
    assert accelerators is not None
    write_revision(
        session, Observation, accelerators.key, {**content_of(accelerators), "value": 20_000_000}
    )
    finding = get_current(session, Assessment, "kf-semiconductor-bottleneck")
    assert finding is not None
    write_revision(session, Assessment, finding.key, {**content_of(finding), "favours": "CN"})

    response = client.get("/v1/scorecard", headers={"If-None-Match": etag})
    assert response.status_code == 200
    body = response.json()
    compute = next(p for p in body["pillars"] if p["pillar"] == "compute")
    assert compute["verdict"] == "CN"
    assert body["bottom_line"]["china_leads_any_pillar"] is True
    assert body["bottom_line"]["china_leads"] == ["compute"]
    assert client.get("/v1/scorecard/compute").json()["verdict"] == "CN"


def test_pillar_endpoint_and_unknown_pillar(client: TestClient) -> None:
    talent = client.get("/v1/scorecard/talent").json()
    assert talent["verdict"] == "US"
    assert talent["indicators_favour"] == "split"
    assert client.get("/v1/scorecard/space").status_code == 404  # names the pillars


def test_regulation_names_no_leader_because_the_report_names_none(client: TestClient) -> None:
    regulation = client.get("/v1/scorecard/regulation").json()
    assert regulation["verdict"] == "not_stated"
    assert regulation["assessment"]["key"] == "kf-regulation"
    assert regulation["assessment"]["favours"] == "neither"
    assert "neither names a leader" in regulation["reason"]
    rules = client.get("/v1/scorecard").json()["rules"]
    assert any("not_stated" in rule for rule in rules)
