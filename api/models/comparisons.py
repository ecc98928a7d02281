"""The report's funding comparisons: computed response models (built by the service)."""

from pydantic import ConfigDict, Field

from api.models.base import LazyModel
from api.models.funding import FundingMeasure
from api.models.totals import Bound, Exclusion, TotalsGroup


class SideValue(LazyModel):
    amount_usd: float | None = Field(description="The side's figure, USD (see bound).")
    amount_usd_max: float | None = Field(description="High end, with bound range.")
    bound: Bound | None
    per_year: bool | None
    period: str | None
    measure: FundingMeasure | None
    how: str = Field(description="How the figure was read off the side's groups.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount_usd": 2000000000,
                    "amount_usd_max": 9000000000,
                    "bound": "range",
                    "per_year": True,
                    "period": "unknown",
                    "measure": "annual_budget",
                    "how": "one group",
                }
            ]
        }
    )


class ComparedRecord(LazyModel):
    key: str
    program: str
    qualifier: str
    status: str
    confidence: str | None
    inferred_fields: str | None
    source_key: str
    source_location: str
    cited_source: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "us-federal-ai-core-cross-cut-fy2025",
                    "program": 'Federal "core" and "cross-cut" AI budget combined',
                    "qualifier": "exact",
                    "status": "budgeted",
                    "confidence": None,
                    "inferred_fields": None,
                    "source_key": "insikt-2025-us-china-ai-gap",
                    "source_location": "section Government and Venture Capital (VC) Funding",
                    "cited_source": "Federal Budget IQ",
                }
            ]
        }
    )


class ComparisonSide(LazyModel):
    label: str
    country: str
    query: str = Field(description="The /v1/funding/totals request that computes this side.")
    value: SideValue
    groups: list[TotalsGroup]
    excluded: list[Exclusion]
    records: list[ComparedRecord] = Field(description="Every counted record, with provenance.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "label": "US federal 'core' + 'cross-cut' AI, FY2025",
                    "country": "US",
                    "query": "/v1/funding/totals?keys=us-federal-ai-core-cross-cut-fy2025",
                    "value": {
                        "amount_usd": 2800000000,
                        "amount_usd_max": None,
                        "bound": "exact",
                        "per_year": True,
                        "period": "2024-10/2025-09",
                        "measure": "annual_budget",
                        "how": "one group",
                    },
                    "groups": [],
                    "excluded": [],
                    "records": [],
                }
            ]
        }
    )


class RatioRange(LazyModel):
    low: float | None = Field(description="Lowest US/China ratio the two figures allow.")
    high: float | None = Field(description="Highest; null when a side has no upper bound.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"low": 0.3111, "high": 1.4}]})


class ComparedAssessment(LazyModel):
    key: str
    statement: str
    likelihood: str | None
    confidence: str | None
    favours: str
    source_location: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "funding-central-government-estimate",
                    "statement": "... a low-confidence estimate that China's central government "
                    "spends on the order of several billion USD annually ...",
                    "likelihood": None,
                    "confidence": "low",
                    "favours": "neither",
                    "source_location": "section Government and Venture Capital (VC) Funding",
                }
            ]
        }
    )


class ComparedObservation(LazyModel):
    key: str
    indicator_key: str
    country: str
    period: str | None
    value: float = Field(description="In the indicator's unit.")
    qualifier: str
    source_location: str
    cited_source: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "cn-ai-companies-in-investment-data-cn-2013-2023-eto",
                    "indicator_key": "cn-ai-companies-in-investment-data",
                    "country": "CN",
                    "period": "2013/2023",
                    "value": 2100,
                    "qualifier": "exact",
                    "source_location": "section Government and Venture Capital (VC) Funding",
                    "cited_source": "ETO",
                }
            ]
        }
    )


class Caveat(LazyModel):
    text: str
    source_location: str | None = Field(description="Where the report says it; null: ours.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "Direct comparisons are difficult due to definitional issues and "
                    "data intransparency.",
                    "source_location": "section Government and Venture Capital (VC) Funding",
                }
            ]
        }
    )


class FundingComparison(LazyModel):
    key: str
    title: str
    question: str
    method: str
    method_version: str
    data_version: int = Field(default=0, description="The data version the answer is from.")
    sides: list[ComparisonSide]
    comparable: bool = Field(description="Both sides one measure, each money for one year.")
    comparable_reason: str
    ratio_us_to_cn: RatioRange | None
    assessments: list[ComparedAssessment] = Field(description="What the report judges.")
    observations: list[ComparedObservation] = Field(description="Related figures.")
    caveats: list[Caveat]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "us-federal-vs-cn-central-ai-rd",
                    "title": "Government AI R&D: US federal civilian vs China's central government",
                    "question": "How does US federal 'core' + 'cross-cut' AI funding compare...",
                    "method": "funding_comparison",
                    "method_version": "1",
                    "data_version": 431,
                    "sides": [],
                    "comparable": True,
                    "comparable_reason": "both annual_budget, each money for one year",
                    "ratio_us_to_cn": {"low": 0.3111, "high": 1.4},
                    "assessments": [],
                    "observations": [],
                    "caveats": [],
                }
            ]
        }
    )


class ComparisonSummary(LazyModel):
    key: str
    title: str
    question: str
    href: str = Field(description="Where to get it.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "private-investment-us-vs-cn",
                    "title": "Private-sector AI investment: US vs China",
                    "question": "How does private investment in AI companies compare?",
                    "href": "/v1/funding/comparisons/private-investment-us-vs-cn",
                }
            ]
        }
    )


class ComparisonList(LazyModel):
    items: list[ComparisonSummary]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "key": "private-investment-us-vs-cn",
                            "title": "Private-sector AI investment: US vs China",
                            "question": "How does private investment in AI companies compare?",
                            "href": "/v1/funding/comparisons/private-investment-us-vs-cn",
                        }
                    ]
                }
            ]
        }
    )
