"""Unknown query parameters are a 400 that names them, never silently ignored."""

import re
from collections.abc import Callable
from typing import Any

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
_LENIENT: set[str] = set()  # endpoint names whose pages ignore, and say they ignore, the rest
_CSV: set[str] = set()  # endpoint names that also answer CSV for `format=csv`
FORMATS = ("json", "csv")


def _name(endpoint: Callable[..., Any]) -> str:
    return f"{endpoint.__module__}.{endpoint.__qualname__}"


def negotiates_csv(route: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a JSON operation that answers CSV for `format=csv` (and `Accept: text/csv`).

    `format` is not in its documented parameters, so that typed clients see one JSON
    response; the CSV is documented on the operation's `.csv` twin.
    """
    _CSV.add(_name(route))
    return route


def ignores_unknown_query(route: Callable[..., Any]) -> Callable[..., Any]:
    """Marks an HTML page's route: unknown parameters (utm_source, …) are its own business."""
    _LENIENT.add(f"{route.__module__}.{route.__qualname__}")
    return route


# Shapes of `from`/`to` that compare as text (or, for years, as numbers); anything else is
# left to the parameter's own validation.
_ORDERED_SHAPES = (
    re.compile(r"^\d{1,9}$"),
    re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    re.compile(r"^\d{4}-\d{2}-\d{2}$"),
)


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
    _reject_reversed_range(request, accepted)
    endpoint = route.endpoint
    if _name(endpoint) in _CSV:
        _check_format(request)
        accepted = accepted | {"format"}
    unknown = sorted(set(request.query_params) - accepted)
    if unknown and _name(endpoint) not in _LENIENT:
        listed = ", ".join(sorted(accepted)) or "none"
        raise InvalidQuery(
            f"unknown query parameter(s): {', '.join(unknown)}; accepted: {listed}",
            errors=[
                {"field": f"query.{name}", "reason": "unknown query parameter"} for name in unknown
            ],
            accepted=sorted(accepted),
        )


def _reject_reversed_range(request: Request, accepted: frozenset[str]) -> None:
    """`from` after `to` can only be a mistake: a 400 naming both, not an empty answer."""
    if not {"from", "to"} <= accepted or not request.url.path.startswith("/v1/"):
        return  # the HTML dashboard shows an empty selection as such
    start, end = request.query_params.get("from"), request.query_params.get("to")
    if start is None or end is None:
        return
    for shape in _ORDERED_SHAPES:
        if shape.match(start) and shape.match(end):
            after = int(start) > int(end) if start.isdigit() else start > end
            if after:
                reason = f"from ({start}) is after to ({end})"
                raise InvalidQuery(
                    f"{reason}: swap them, or leave one out",
                    errors=[
                        {"field": "query.from", "reason": reason},
                        {"field": "query.to", "reason": reason},
                    ],
                )
            return


def _check_format(request: Request) -> None:
    values = request.query_params.getlist("format")
    if len(values) > 1 or (values and values[0] not in FORMATS):
        raise InvalidQuery(
            f"format must be one of: {', '.join(FORMATS)}",
            errors=[{"field": "query.format", "reason": f"allowed values: {', '.join(FORMATS)}"}],
        )
