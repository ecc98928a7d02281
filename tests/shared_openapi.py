"""The OpenAPI document, built once per run and read by every worker.

Building it costs ~2 CPU-s (a schema for every model of 130 operations). Each process
already builds it once (api/web/openapi.py keeps it by the app's routes); with three
workers the run built it three times over, in whichever test of each first asked. Here the
first worker to ask builds it and leaves it in the run's directory, under the same key; the
others read it. The servers the tests start build their own.
"""

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from api.web import openapi

RunLock = Callable[[str], AbstractContextManager[Path]]


def share_built_documents(run_lock: RunLock) -> None:
    build = openapi._build

    def built_once_per_run(app: FastAPI) -> dict[str, Any]:
        key = hashlib.sha256(repr(openapi._document_key(app)).encode()).hexdigest()[:16]
        with run_lock("openapi.lock") as home:
            saved = home / f"openapi-{key}.json"
            if saved.exists():
                document: dict[str, Any] = json.loads(saved.read_text())
                return document
            document = build(app)
            saved.write_text(json.dumps(document))
            return document

    openapi._build = built_once_per_run
