"""Unknown query parameters are a 400 that names them, never silently ignored."""

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.errors import InvalidQuery


def _query_aliases(dependant: Dependant) -> set[str]:
    aliases = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        aliases |= _query_aliases(sub)
    return aliases


_ACCEPTED: dict[int, frozenset[str]] = {}


def _accepted(route: APIRoute) -> frozenset[str]:
    key = id(route)  # routes live as long as the app; APIRoute is not hashable
    if key not in _ACCEPTED:
        _ACCEPTED[key] = frozenset(_query_aliases(route.dependant))
    return _ACCEPTED[key]


async def reject_unknown_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = _accepted(route)
    with_nul = sorted(
        {
            name
            for name, value in request.query_params.multi_items()
            if "\x00" in value or "\x00" in name
        }
    )
    if with_nul:  # PostgreSQL cannot store or compare text with NUL characters
        raise InvalidQuery(
            f"NUL characters are not allowed: {', '.join(with_nul)}",
            errors=[
                {"field": f"query.{name}", "reason": "contains a NUL character"}
                for name in with_nul
            ],
        )
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        listed = ", ".join(sorted(accepted)) or "none"
        raise InvalidQuery(
            f"unknown query parameter(s): {', '.join(unknown)}; accepted: {listed}",
            errors=[
                {"field": f"query.{name}", "reason": "unknown query parameter"} for name in unknown
            ],
            accepted=sorted(accepted),
        )
