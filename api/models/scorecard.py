"""The scorecard: computed response models (built only by api.services.scorecard)."""

from enum import StrEnum

from pydantic import ConfigDict, Field

from api.models.assessments import AssessmentScope
from api.models.base import LazyModel


class Verdict(StrEnum):
    US = "US"
    CN = "CN"
    contested = "contested"  # the report says it is unclear, or the data is split
    not_stated = "not_stated"  # neither the report nor the data names a leader


class Basis(StrEnum):
    indicators_and_assessment = "indicators_and_assessment"
    indicators = "indicators"
    assessment = "assessment"
    none = "none"


class Trend(StrEnum):
    rising = "rising"
    falling = "falling"
    flat = "flat"


class CountryValue(LazyModel):
    value: float = Field(description="The figure, in the indicator's unit.")
    value_max: float | None = Field(default=None, description="Upper bound, for `between`.")
    qualifier: str
    period: str | None
    status: str
    observation: str = Field(description="Key of the observation (or the computed source).")
    trend: Trend | None = Field(
        default=None, description="Change from this country's previous period, if any."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "value": 14310000,
                    "value_max": None,
                    "qualifier": "more_than",
                    "period": "2025",
                    "status": "projected",
                    "observation": "ai-accelerators-us-2025",
                    "trend": None,
                }
            ]
        }
    )


class IndicatorComparison(LazyModel):
    indicator: str = Field(description="Indicator code.")
    name: str
    unit: str
    higher_is_better: bool | None
    us: CountryValue | None
    cn: CountryValue | None
    ratio_us_to_cn: float | None = Field(description="US value divided by China's.")
    leader: str | None = Field(description="US, CN or tied; null without both or a direction.")
    certain: bool = Field(
        description="False when a qualifier (more than, up to, ...) could reverse the lead."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "indicator": "ai-accelerators",
                    "name": "AI accelerators",
                    "unit": "accelerators",
                    "higher_is_better": True,
                    "us": None,
                    "cn": None,
                    "ratio_us_to_cn": 2.98,
                    "leader": "US",
                    "certain": True,
                }
            ]
        }
    )


class PillarAssessment(LazyModel):
    key: str
    statement: str
    likelihood: str | None
    probability_min: int | None = Field(description="Lower bound of the term, percent.")
    probability_max: int | None = Field(description="Upper bound of the term, percent.")
    confidence: str | None
    favours: str
    source_location: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "kf-talent",
                    "statement": "The international AI talent pool likely continues to favor the "
                    "US due to a continuing — though declining — immigration advantage and the "
                    "quality of elite educational institutions, but the practical implications "
                    "of this lead for AI competition are likely eroding.",
                    "likelihood": "likely",
                    "probability_min": 55,
                    "probability_max": 80,
                    "confidence": None,
                    "favours": "US",
                    "source_location": "Key Findings",
                }
            ]
        }
    )


class PillarScore(LazyModel):
    pillar: AssessmentScope
    verdict: Verdict
    basis: Basis
    reason: str = Field(description="How the rules reached the verdict, in words.")
    indicators_favour: str | None = Field(
        description="US, CN, split, or null when no headline indicator compares both."
    )
    indicators: list[IndicatorComparison]
    assessment: PillarAssessment | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pillar": "talent",
                    "verdict": "US",
                    "basis": "indicators_and_assessment",
                    "reason": "headline indicators are split; the report's assessment favours US",
                    "indicators_favour": "split",
                    "indicators": [],
                    "assessment": None,
                }
            ]
        }
    )


class BottomLine(LazyModel):
    china_leads_any_pillar: bool
    us_leads: list[str]
    china_leads: list[str]
    contested: list[str]
    not_stated: list[str] = Field(
        default_factory=list, description="Pillars where neither report nor data names a leader."
    )
    statement: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "china_leads_any_pillar": False,
                    "us_leads": ["compute", "models", "talent"],
                    "china_leads": [],
                    "contested": ["diffusion", "funding"],
                    "not_stated": ["regulation"],
                    "statement": "China does not clearly lead on any pillar.",
                }
            ]
        }
    )


class Scorecard(LazyModel):
    method: str
    method_version: str
    rules: list[str]
    data_version: int = Field(default=0, description="The data version the answer is from.")
    pillars: list[PillarScore]
    bottom_line: BottomLine
    overall_assessment: PillarAssessment | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "pillar_scorecard",
                    "method_version": "1",
                    "rules": ["Indicators and the assessment agree: that side."],
                    "data_version": 431,
                    "pillars": [
                        {
                            "pillar": "compute",
                            "verdict": "US",
                            "basis": "indicators_and_assessment",
                            "reason": "headline indicators favour US; the report's assessment "
                            "favours US",
                            "indicators_favour": "US",
                            "indicators": [],
                            "assessment": None,
                        }
                    ],
                    "bottom_line": {
                        "china_leads_any_pillar": False,
                        "us_leads": ["compute"],
                        "china_leads": [],
                        "contested": [],
                        "not_stated": [],
                        "statement": "China does not clearly lead on any pillar.",
                    },
                    "overall_assessment": None,
                }
            ]
        }
    )
