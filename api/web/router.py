"""The app's routers: routes built when first asked for, and a path outside a router's prefix
turned away before any of its routes is tried.

FastAPI (0.165) matches a request by asking every included router, and each tries every one
of its routes, a regular expression apiece, and does so again to handle the match: ~170
route matches, 0.5 ms, for a request to a record (the list reads skip it, see
api/web/read_path.py). A router's routes all start with its prefix, so one `startswith`
answers for all of them. This holds for routers included without a prefix of their own,
as api/main.py includes every router.
"""

from typing import Any

from fastapi import APIRouter
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

from api.web.lazy_route import LazyAPIRoute


class Router(APIRouter):
    def __init__(self, **options: Any) -> None:
        super().__init__(route_class=LazyAPIRoute, **options)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not get_route_path(scope).startswith(self.prefix):
            return Match.NONE, {}
        return super().matches(scope)
