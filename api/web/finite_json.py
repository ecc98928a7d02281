"""JSON bodies with NaN, Infinity or numbers too large for a float (1e309) are refused at
the door, naming each place: Python's JSON parser accepts all three, and a model validator
that compares two fields would otherwise meet them before any field rule does.

So is a body nested deeper than any the API takes: Python's parser, and any walk over what
it parsed, run out of stack on `[[[[...]]]]` a few thousand levels deep.
"""

import json
import math
from typing import Any

from api.errors import InvalidData

MAX_DEPTH = 64  # the API's bodies are three levels deep at most (a leaderboard JSON)


class _NonFinite:
    def __init__(self, text: str) -> None:
        self.text = text


def _number(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _places(document: Any) -> list[tuple[str, str]]:
    """Each non-finite number's place and text, in document order; InvalidData for a
    document nested deeper than MAX_DEPTH. Walked with a stack, not recursion."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, ("body",))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _NonFinite):
            found.append((".".join(path), value.text))
        elif isinstance(value, dict | list):
            if len(path) > MAX_DEPTH:
                raise too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((item, (*path, str(key))) for key, item in reversed(list(items)))
    return found


def too_deep() -> InvalidData:
    reason = f"nested more than {MAX_DEPTH} levels deep"
    return InvalidData(f"body: {reason}", errors=[{"field": "body", "reason": reason}])


def refuse_non_finite_numbers(body: bytes) -> None:
    """A 422 naming every non-finite number in a JSON body, or saying that it is nested too
    deep; malformed JSON is left to the app's own parser, which says so."""
    try:
        parsed = json.loads(body, parse_constant=_NonFinite, parse_float=_number)
    except RecursionError:
        raise too_deep() from None
    except ValueError:
        return
    places = _places(parsed)
    if places:
        errors = [
            {"field": field, "reason": f"Input should be a finite number, not {text}"}
            for field, text in places
        ]
        raise InvalidData("; ".join(f"{e['field']}: {e['reason']}" for e in errors), errors=errors)
