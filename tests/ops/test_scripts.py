"""The operations scripts, run for real against the local PostgreSQL."""

import subprocess
import sys

import pytest

from api import PROJECT_ROOT
from tests.conftest import BACKEND

pytestmark = [
    pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.long_running(10),
]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, f"scripts/{script}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_compose_smoke_runs_the_compose_commands() -> None:
    result = _run("compose_smoke.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "readyz:" in result.stdout
    assert "graceful stop: exit 0" in result.stdout


def test_backup_and_restore_give_identical_data() -> None:
    result = _run("backup_restore_check.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restored identically" in result.stdout
