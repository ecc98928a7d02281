"""Every table, imported here so that Alembic and the tests see one metadata."""

from api.models.assessments import Assessment
from api.models.auth import ApiKey, RateLimitWindow, WriteLock
from api.models.base import Pillar, Qualifier, Status
from api.models.changes import Change
from api.models.compute import DataCenter, EdwcCluster
from api.models.funding import FundingRecord
from api.models.indicators import Indicator, Observation
from api.models.models import AiModel, ArenaScore
from api.models.registry import ModelAlias, ModelFamily, Organization
from api.models.regulation import RegulationEvent
from api.models.sources import Source
from api.models.talent import NeuripsInstitution
from api.models.timeline import TimelineEvent

__all__ = [
    "AiModel",
    "ApiKey",
    "ArenaScore",
    "Assessment",
    "Change",
    "DataCenter",
    "EdwcCluster",
    "FundingRecord",
    "Indicator",
    "ModelAlias",
    "ModelFamily",
    "NeuripsInstitution",
    "Observation",
    "Organization",
    "Pillar",
    "Qualifier",
    "RateLimitWindow",
    "RegulationEvent",
    "Source",
    "Status",
    "TimelineEvent",
    "WriteLock",
]
