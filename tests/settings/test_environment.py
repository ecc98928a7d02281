"""The suite's results do not depend on the AIGAP_ settings of the shell that runs it."""

import os
import subprocess
import sys

from api import PROJECT_ROOT

HOSTILE = {
    "AIGAP_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nowhere",
    "AIGAP_PRIVATE_READS": "true",
    "AIGAP_CORS_ORIGINS": "https://elsewhere.example",
    "AIGAP_MAX_QUERY_BYTES": "256",
    "AIGAP_LOG_LEVEL": "critical",
}


def test_aigap_settings_in_the_shell_change_no_result() -> None:
    env = {**os.environ, **HOSTILE}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",  # three small files: one process
            "tests/settings/test_settings.py",
            "tests/api/test_cors.py",
            "tests/writes/test_auth.py",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
