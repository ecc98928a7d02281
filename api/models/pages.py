"""The one list envelope every list endpoint returns."""

from typing import Generic, TypeVar

from pydantic import Field

from api.models.base import LazyModel

T = TypeVar("T")


class Page(LazyModel, Generic[T]):
    """One page of a list, with the total number of matching records."""

    items: list[T]
    total: int = Field(description="Records matching the query, across all pages.")
    limit: int = Field(description="Page size asked for.")
    page: int = Field(description="This page's number, from 1.")
