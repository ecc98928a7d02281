"""JSON bodies are checked at the door for what Python's parser lets through and nothing
after it can use, each place named:

- NaN, Infinity and numbers too large for a float (1e309): a model validator that compares
  two fields would otherwise meet them before any field rule does;
- text with a lone surrogate (`"\\ud800"`): not Unicode, it cannot be stored, compared with
  the registry's names or even written back in an error;
- a body nested deeper than any the API takes: the parser, and any walk over what it
  parsed, run out of stack on `[[[[...]]]]` a few thousand levels deep.
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


def _is_unicode(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(text: str) -> str:
    """Text as it can be written back: a lone surrogate as its escape."""
    return text if _is_unicode(text) else text.encode("utf-8", "backslashreplace").decode()


def _problems(document: Any) -> list[tuple[str, str]]:
    """(place, reason) of each unusable value, in document order; InvalidData for a
    document nested deeper than MAX_DEPTH. Walked with a stack, not recursion."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, ("body",))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _NonFinite):
            found.append((".".join(path), f"Input should be a finite number, not {value.text}"))
        elif isinstance(value, str):
            if not _is_unicode(value):
                found.append((".".join(path), "not Unicode text: it has a lone surrogate"))
        elif isinstance(value, dict | list):
            if len(path) > MAX_DEPTH:
                raise too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in reversed(list(items)):
                name = str(key)
                if not _is_unicode(name):
                    place = ".".join((*path, _escaped(name)))
                    found.append((place, "not Unicode text: this name has a lone surrogate"))
                    continue
                stack.append((item, (*path, name)))
    return found


def too_deep() -> InvalidData:
    reason = f"nested more than {MAX_DEPTH} levels deep"
    return InvalidData(f"body: {reason}", errors=[{"field": "body", "reason": reason}])


def refuse_unusable_json(body: bytes) -> None:
    """A 422 naming every non-finite number and every text that is not Unicode in a JSON
    body, or saying that it is nested too deep; malformed JSON is left to the app's own
    parser, which says so."""
    try:
        parsed = json.loads(body, parse_constant=_NonFinite, parse_float=_number)
    except RecursionError:
        raise too_deep() from None
    except ValueError:
        return
    problems = _problems(parsed)
    if problems:
        errors = [{"field": field, "reason": reason} for field, reason in problems]
        raise InvalidData("; ".join(f"{e['field']}: {e['reason']}" for e in errors), errors=errors)
