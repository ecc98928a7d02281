"""The columns each CSV import requires are the ones the README and the CLI's help name:
a curator reads them there, and a file built from a stale list is refused whole."""

import re

import pytest
from typer.testing import CliRunner

from api import PROJECT_ROOT
from api.cli import app
from api.services.funding import FUNDING_RECORDS
from api.services.imports import ARENA_COLUMNS
from api.services.indicators import OBSERVATIONS
from api.services.kinds import registered

README = re.sub(r"\s+", "", (PROJECT_ROOT / "README.md").read_text())


def _required(name: str) -> tuple[str, ...]:
    if name == "arena":
        return tuple(ARENA_COLUMNS.required)
    kind = {"observations": OBSERVATIONS, "funding": FUNDING_RECORDS}[name]
    spec = registered(kind).csv_import
    assert spec is not None
    return tuple(spec.columns.required)


@pytest.mark.parametrize(
    ("command", "endpoint"),
    [
        ("arena", "/v1/models/arena-scores/import"),
        ("observations", "/v1/observations/import"),
        ("funding", "/v1/funding/records/import"),
    ],
)
def test_the_readme_and_the_cli_name_the_required_columns(command: str, endpoint: str) -> None:
    columns = ",".join(_required(command))
    assert f"`POST{endpoint}`:`{columns}`" in README, (endpoint, columns)
    help_text = CliRunner().invoke(app, ["import", command, "--help"]).output
    assert columns in re.sub(r"\s+", "", help_text), (command, help_text)
