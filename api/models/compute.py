"""Compute pillar records: data centers (Appendix A), EDWC clusters and hubs (Table 5)."""

from sqlalchemy import String
from sqlmodel import Field

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    ProvenanceFields,
    Qualifier,
    VersionFields,
    versioned_table_args,
)


class DataCenterBase(ProvenanceFields):
    company: str = Field(max_length=200)
    location: str = Field(max_length=200)
    country: str = Field(default="CN", max_length=8, schema_extra={"pattern": COUNTRY_PATTERN})
    opened_year: int | None = Field(default=None, ge=1990, le=2100)
    hub: str = Field(max_length=200, index=True, description="EDWC hub, English name.")
    hub_zh: str | None = Field(default=None, max_length=100)
    planned_servers: int = Field(ge=0, description="Reported planned server capacity, servers.")
    planned_servers_qualifier: Qualifier = Field(default=Qualifier.exact, sa_type=String(20))


class DataCenter(VersionFields, DataCenterBase, table=True):
    __tablename__ = "data_centers"
    __table_args__ = versioned_table_args("data_centers")


class DataCenterCreate(DataCenterBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class EdwcClusterBase(ProvenanceFields):
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=100)
    hub: str = Field(max_length=200, index=True)
    hub_zh: str | None = Field(default=None, max_length=100)


class EdwcCluster(VersionFields, EdwcClusterBase, table=True):
    __tablename__ = "edwc_clusters"
    __table_args__ = versioned_table_args("edwc_clusters")


class EdwcClusterCreate(EdwcClusterBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})
