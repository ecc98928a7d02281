"""Routes whose FastAPI machinery is built when first asked for, not at import.

Building an APIRoute makes a pydantic TypeAdapter for each of its parameters and its
response (1,932 fields over 209 routes here), about half a second of the app's start. Most
routes of a process are never asked for, and FastAPI builds an included route's serving
state again, per inclusion, on its first request. So a `LazyAPIRoute` keeps its arguments
and sets only what matching a path needs; the first read of anything else (its dependant,
its response model, its OpenAPI fields) builds it, once, by APIRoute's own constructor.
"""

import threading
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import compile_path, get_name

# Builds are rare and short; one lock keeps two threads from building the same route.
_BUILDING = threading.RLock()
# What APIRoute.__init__ sets: reading any other name (getattr probes) builds nothing.
_BUILT_ATTRIBUTES = frozenset(APIRoute.__annotations__) | {"app", "form_limits"}


class LazyAPIRoute(APIRoute):
    def __init__(self, path: str, endpoint: Any, **options: Any) -> None:
        # Only what Route.matches and url_path_for read: the rest waits for _build.
        self.path = path
        self.endpoint = endpoint
        name = options.get("name")
        self.name = get_name(endpoint) if name is None else name
        self.methods = {method.upper() for method in options.get("methods") or ["GET"]}
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self._unbuilt: dict[str, Any] | None = options

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set yet, that is before the build.
        if name not in _BUILT_ATTRIBUTES or self.__dict__.get("_unbuilt") is None:
            raise AttributeError(name)
        self._build()
        return object.__getattribute__(self, name)

    def _build(self) -> None:
        with _BUILDING:
            options = self.__dict__.get("_unbuilt")
            if options is None:  # another thread built it while this one waited
                return
            self._unbuilt = None
            try:
                APIRoute.__init__(self, self.path, self.endpoint, **options)
            except BaseException:
                self._unbuilt = options
                raise
