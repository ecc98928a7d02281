"""Sources: who said it. Every other record points at one by key."""

from datetime import date

from sqlmodel import Field, SQLModel

from api.models.base import (
    KEY_PATTERN,
    KeyPublic,
    RevisionPublic,
    VersionFields,
    public_config,
    versioned_table_args,
)


class SourceBase(SQLModel):
    title: str = Field(max_length=300, description="Title of the publication or dataset.")
    publisher: str = Field(max_length=200, description="Who published it.")
    published_on: date | None = Field(default=None, description="Publication date.")
    url: str | None = Field(default=None, max_length=500, description="Where to read it.")
    description: str | None = Field(default=None, max_length=2000)


class Source(VersionFields, SourceBase, table=True):
    __tablename__ = "sources"
    __table_args__ = versioned_table_args("sources")


class SourceCreate(SourceBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class SourcePublic(RevisionPublic, SourceBase, KeyPublic):
    model_config = public_config(
        {
            "key": "insikt-2025-us-china-ai-gap",
            "title": "Measuring the US-China AI Gap",
            "publisher": "Recorded Future Insikt Group",
            "published_on": "2025-05-08",
            "url": "https://www.recordedfuture.com/research/measuring-the-us-china-ai-gap",
            "description": "Threat analysis comparing the US and China on six pillars.",
        }
    )
