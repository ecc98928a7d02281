"""The OpenAPI document, as the generators frontend and service teams use see it.

- Schema names are unique and meaningful (no module paths, no `...Type0` enums).
- openapi-typescript + openapi-fetch: `check.ts` (arena scores, the lag, an error's
  `detail`, no cast) compiles under `tsc --strict`.
- Spectral's `spectral:oas` ruleset: no error, no warning.
- openapi-python-client generates with no warning but unsupported media types, and the
  generated client calls every GET operation of a live server and parses the answer.

The Node checks need `npm ci` in tests/clients (`.ci/run` does it); they are skipped where
Node or those packages are missing, unless AIGAP_REQUIRE_NODE=1.
"""

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from tests.conftest import DatabaseFactory
from tests.live import LOCAL, LiveServer, live_server

pytestmark = pytest.mark.long_running(18)

HERE = Path(__file__).parent
NODE_BIN = HERE / "node_modules" / ".bin"


@cache
def _document() -> dict[str, Any]:
    """The OpenAPI document, built once for the file (an app and its schema: a second)."""
    document: dict[str, Any] = create_app(Settings()).openapi()
    return document


@pytest.fixture(scope="module")
def openapi_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(_document()))
    return path


def _node_tool(name: str) -> Path:
    tool = NODE_BIN / name
    if shutil.which("node") is None or not tool.exists():
        if os.environ.get("AIGAP_REQUIRE_NODE") == "1":
            pytest.fail(f"{name} is missing: run `npm ci` in tests/clients")
        pytest.skip(f"{name} is missing (npm ci in tests/clients)")
    return tool


def test_no_two_schemas_share_a_name() -> None:
    schemas = _document()["components"]["schemas"]
    leaked = [name for name in schemas if "__" in name or re.search(r"Type\d+$", name)]
    assert leaked == [], "schema names that leak module paths or generator placeholders"
    titles = [schema.get("title", name) for name, schema in schemas.items()]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


def test_typescript_client_compiles_strict(openapi_file: Path, tmp_path: Path) -> None:
    openapi_typescript = _node_tool("openapi-typescript")
    tsc = _node_tool("tsc")
    workdir = tmp_path / "ts"
    shutil.copytree(HERE, workdir, ignore=shutil.ignore_patterns("node_modules", "*.py"))
    (workdir / "node_modules").symlink_to(HERE / "node_modules")
    subprocess.run(
        [str(openapi_typescript), str(openapi_file), "-o", str(workdir / "schema.d.ts")],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    compiled = subprocess.run(
        [str(tsc), "-p", str(workdir / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


def test_spectral_finds_nothing(openapi_file: Path) -> None:
    spectral = _node_tool("spectral")
    linted = subprocess.run(
        [
            str(spectral),
            "lint",
            str(openapi_file),
            "--ruleset",
            str(HERE / ".spectral.yaml"),
            "--format",
            "json",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = json.loads(linted.stdout or "[]")
    assert findings == [], [(f["code"], f["message"], f["path"]) for f in findings]


def _unsupported_media_type_only(output: str) -> list[str]:
    """The generator's warnings other than for media types it does not support."""
    blocks = re.split(r"\n(?=WARNING )", output)
    return [
        block.strip()
        for block in blocks
        if block.startswith("WARNING ")
        and "Unsupported content type" not in block
        and "Unsupported content_type" not in block
    ]


@pytest.fixture(scope="module")
def python_client(openapi_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    generator = Path(sys.executable).parent / "openapi-python-client"
    if not generator.exists():
        pytest.skip("openapi-python-client is not installed (make install-dev)")
    out = tmp_path_factory.mktemp("pyclient") / "aigap_client"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    generated = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(openapi_file),
            "--output-path",
            str(out),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert _unsupported_media_type_only(generated.stdout + generated.stderr) == []
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module("aigap_client")
    finally:
        sys.path.remove(str(out.parent))


def _path_values(live: LiveServer, path: str) -> dict[str, str]:
    """Real values for a path's parameters, read from the server's own lists."""
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", path):
        if name == "pillar":
            values[name] = "funding"
        elif name == "code":
            items = LOCAL.get(f"{live.base}/v1/indicators", params={"limit": 1}).json()["items"]
            values[name] = items[0]["key"]
        elif name == "key":
            listing = LOCAL.get(live.base + path.split("/{key}")[0]).json()
            lists = [v for v in listing.values() if isinstance(v, list) and v]
            assert lists, f"no list to take a key from for {path}"
            values[name] = lists[0][0]["key"]
        else:
            raise AssertionError(f"no value known for path parameter {name!r} of {path}")
    return values


def _call_every_get(
    document: dict[str, Any], live: LiveServer, typed: Any, untyped: Any
) -> list[str]:
    called = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None or path in ("/", "/metrics"):
            continue
        tag = operation["tags"][0].replace("-", "_") if operation.get("tags") else "default"
        module = importlib.import_module(f"aigap_client.api.{tag}.{operation['operationId']}")
        content = operation["responses"]["200"].get("content", {})
        json_answer = "application/json" in content
        response = module.sync_detailed(
            client=typed if json_answer else untyped, **_path_values(live, path)
        )
        assert response.status_code == 200, (path, response.status_code, response.content[:500])
        if json_answer:
            assert response.parsed is not None, path
        called.append(path)
    return called


def test_the_python_client_calls_every_get_operation(
    python_client: Any, seeded_database: DatabaseFactory
) -> None:
    document = _document()
    with seeded_database() as url, live_server(url, workers=1, seeded=True) as live:
        # The generator omits answers it cannot type (SVG, PNG, CSV, HTML): for those the
        # call still goes through the generated function, and only the status is checked.
        with (
            python_client.Client(base_url=live.base, raise_on_unexpected_status=True) as typed,
            python_client.Client(base_url=live.base, raise_on_unexpected_status=False) as untyped,
        ):
            called = _call_every_get(document, live, typed, untyped)
    assert len(called) >= 60
