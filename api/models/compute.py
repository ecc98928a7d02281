"""Compute pillar records: data centers (Appendix A), EDWC clusters and hubs (Table 5)."""

from sqlalchemy import String
from sqlmodel import Field

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    ProvenanceFields,
    Qualifier,
    RevisionPublic,
    VersionFields,
    public_config,
    versioned_table_args,
)


class DataCenterBase(ProvenanceFields):
    company: str = Field(max_length=200)
    location: str = Field(max_length=200)
    country: str = Field(default="CN", max_length=8, schema_extra={"pattern": COUNTRY_PATTERN})
    opened_year: int | None = Field(
        default=None, ge=1990, le=2100, description="Year printed beside the location."
    )
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


class DataCenterPublic(RevisionPublic, DataCenterBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "tencent-cloud-qingpu",
            "company": "Tencent Cloud",
            "location": "Qingpu",
            "country": "CN",
            "opened_year": 2023,
            "hub": "Yangtze River Delta Hub",
            "hub_zh": "长三角枢纽",
            "planned_servers": 800000,
            "planned_servers_qualifier": "exact",
            "source_location": "Appendix A; footnote 33",
            "cited_source": "Yicai Global",
        }
    )


class EdwcClusterPublic(RevisionPublic, EdwcClusterBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "horinger",
            "name": "Horinger Cluster",
            "name_zh": "和林格尔集群",
            "hub": "Inner Mongolia Hub",
            "hub_zh": "内蒙古枢纽",
            "source_location": "Table 5",
            "cited_source": "Insikt Group",
        }
    )
