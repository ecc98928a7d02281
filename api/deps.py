"""Annotated dependency aliases: the one session dependency, settings, shared lookups."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from api.db import transaction
from api.settings import Settings, get_settings

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """The one place that commits: on success after the handler returns, else rolls back."""
    with transaction(settings) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
