"""The CLI's help reads cleanly: names and placeholders a person writes, no type noise."""

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from alembic.util import CommandError
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from tests.imports import loaded_by


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group of its own
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_every_help_page_is_free_of_type_placeholders() -> None:
    commands = _commands(typer.main.get_command(app))
    assert ("import", "lmarena") in commands
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        placeholders = [p for p in ("<str>", "<bool>", "<file>", "<int>") if p in result.output]
        assert placeholders == [], command
        # An option's name is lower case, whatever its placeholder (typer once named
        # `--name` after a metavar NAME).
        assert re.findall(r"--[A-Z]", result.output) == [], (command, result.output)


def test_the_command_starts_without_the_app() -> None:
    """A multi-worker `serve`'s supervisor only starts workers, and `migrate` needs alembic
    alone: the command itself loads no table, service, web framework or server."""
    heavy = ("sqlalchemy", "sqlmodel", "fastapi", "starlette", "uvicorn", "alembic", "numpy")
    ours = ("api.models", "api.services", "api.db", "api.main", "api.web")
    assert loaded_by(["api.cli"], heavy + ours) == []


def test_a_revision_alembic_cannot_find_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIGAP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        for command in (["migrate", "nonsense"], ["downgrade", "nonsense"]):
            result = runner.invoke(app, command)
            assert result.exit_code == 1, (command, result.output)
            assert "Can't locate revision identified by 'nonsense'" in result.output
            assert not isinstance(result.exception, CommandError), command
    finally:
        get_settings.cache_clear()
