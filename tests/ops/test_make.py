"""`make run` installs what serving needs; the dev tools come with `make test`."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _planned(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_serving_installs_only_the_runtime_dependencies() -> None:
    for target in ("install", "run"):
        plan = _planned(target)
        assert "pip install --quiet -e ." in plan
        assert "[dev]" not in plan


def test_testing_installs_the_dev_tools() -> None:
    for target in ("test-sqlite", "lint"):
        assert "pip install --quiet -e '.[dev]'" in _planned(target)
