"""JSON bodies with NaN, Infinity or numbers too large for a float (1e309) are refused at
the door, naming each place: Python's JSON parser accepts all three, and a model validator
that compares two fields would otherwise meet them before any field rule does."""

import json
import math
from typing import Any

from api.errors import InvalidData


class _NonFinite:
    def __init__(self, text: str) -> None:
        self.text = text


def _number(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _places(value: Any, path: tuple[str, ...]) -> list[tuple[str, str]]:
    if isinstance(value, _NonFinite):
        return [(".".join(("body", *path)), value.text)]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _places(item, (*path, str(key)))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _places(item, (*path, str(i)))]
    return []


def refuse_non_finite_numbers(body: bytes) -> None:
    """A 422 naming every non-finite number in a JSON body; malformed JSON is left to the
    app's own parser, which says so."""
    try:
        parsed = json.loads(body, parse_constant=_NonFinite, parse_float=_number)
    except ValueError:
        return
    places = _places(parsed, ())
    if places:
        errors = [
            {"field": field, "reason": f"Input should be a finite number, not {text}"}
            for field, text in places
        ]
        raise InvalidData("; ".join(f"{e['field']}: {e['reason']}" for e in errors), errors=errors)
