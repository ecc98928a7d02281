"""The CLI's help reads cleanly: names and placeholders a person writes, no type noise."""

import re
from typing import Any

import typer.main
from typer.testing import CliRunner

from api.cli import app
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
