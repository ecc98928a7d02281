"""Regular expressions a curator writes (model-family rules) that Python can match in
bounded time.

Python's matcher backtracks: `(a+)+$` takes seconds on 26 letters and years on a 200-letter
model name, and a registry write matches every rule against every model it places. A
pattern is refused when a repetition contains another repetition, or repeats alternatives
that may overlap — the shapes of catastrophic backtracking. That refuses a few harmless
patterns too (`(?:x+y)+`); each has a form without nesting.
"""

import importlib
from typing import Any

# CPython's own parser of regular expressions (re._parser), as `re.compile` uses it.
_parser: Any = importlib.import_module("re._parser")
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def backtracking_risk(pattern: str) -> str | None:
    """Why matching `pattern` can take exponential time, or None. `pattern` compiles."""
    return _walk(_parser.parse(pattern).data, repeated=False)


def _walk(items: Any, *, repeated: bool) -> str | None:
    for op, argument in items:
        name = str(op)
        if name in _REPEATS:
            _, most, body = argument
            many = most > 1
            if many and repeated:
                return "a repetition inside a repetition, as in (a+)+"
            if many and _alternatives(body):
                return "a repetition of alternatives, as in (a|ab)+"
            found = _walk(body, repeated=repeated or many)
        elif name == "SUBPATTERN":
            found = _walk(argument[-1], repeated=repeated)
        elif name == "BRANCH":
            found = next((f for b in argument[1] if (f := _walk(b, repeated=repeated))), None)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _walk(argument[1], repeated=repeated)
        else:
            found = None
        if found:
            return found
    return None


def _alternatives(items: Any) -> bool:
    """Alternatives the parser kept as a branch (one-character ones become a class)."""
    for op, argument in items:
        name = str(op)
        if name == "BRANCH":
            return True
        if name == "SUBPATTERN" and _alternatives(argument[-1]):
            return True
    return False
