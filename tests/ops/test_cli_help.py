"""The CLI's help reads cleanly: names and placeholders a person writes, no type noise."""

import re
from typing import Any

import typer.main
from typer.testing import CliRunner

from api.cli import app


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
