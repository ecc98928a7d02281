"""`aigap models`: the model registry from the command line (aliases, unclassified models)."""

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from api.settings import get_settings

if TYPE_CHECKING:
    from api.services.lmarena import LmarenaReport

# The services each command runs are imported when it runs (see api/cli.py).

models = typer.Typer(
    help="The model registry: aliases and unclassified models.", rich_markup_mode=None
)
console = Console(stderr=True)
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def snapshot_date(file_name: str, given: str | None) -> date | None:
    """The snapshot's date: as given, else from the file name, else None."""
    text = given or next(iter(_FILE_DATE.findall(file_name)), None)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from exc


def print_leaderboard_report(out: Console, report: "LmarenaReport") -> None:
    out.print(f"provenance: {report.source_location}")
    if report.retired:
        out.print(f"{report.retired} score(s) of an earlier snapshot of the month retired")
    if report.unclassified:
        out.print(
            f"[yellow]warning: {len(report.unclassified)} model(s) the registry cannot place "
            "were imported without a country (they count for no country):"
        )
        for model in report.unclassified:
            label = f" (leaderboard: {model.leaderboard_organization})"
            out.print(
                f"  {model.model_key}: {model.name}"
                + (label if model.leaderboard_organization else "")
            )
        out.print(
            "  place them with a family rule or organization label "
            "(/v1/models/families, /v1/models/organizations) or `aigap models alias`"
        )


@models.command("alias")
def add_alias(
    alias: Annotated[
        str, typer.Argument(help="Another spelling, e.g. 'GPT-4o (2024-05-13)'.", metavar="ALIAS")
    ],
    model: Annotated[
        str, typer.Argument(help="Key of the catalog model it names.", metavar="MODEL")
    ],
    actor: Annotated[str, typer.Option(help="Recorded as the author.", metavar="NAME")] = "cli",
) -> None:
    """Record another spelling of a catalog model, used by every later import."""
    from api.db import transaction
    from api.errors import AppError
    from api.services.registry import MODEL_ALIASES
    from api.services.writes import create_record

    try:
        with transaction(get_settings()) as session:
            record = create_record(
                session, MODEL_ALIASES, {"alias": alias, "model_key": model}, actor=actor
            )
    except AppError as exc:
        console.print(f"[red]{exc.detail}")
        for error in exc.extensions.get("errors", []):
            console.print(f"  {error['field']}: {error['reason']}")
        raise typer.Exit(1) from exc
    console.print(f"alias {record['key']!r} -> {record['model_key']}")


@models.command("unclassified")
def list_unclassified() -> None:
    """The catalog models the registry cannot place: they count for no country."""
    from rich.table import Table
    from sqlmodel import col, select

    from api.db import transaction
    from api.models.models import AiModel, Classification
    from api.services.revisions import current_filter

    with transaction(get_settings()) as session:
        statement = select(AiModel).where(
            current_filter(AiModel),
            col(AiModel.retired).is_(False),
            col(AiModel.classification) == Classification.unclassified.value,
        )
        rows = [(m.key, m.name, m.leaderboard_organization or "") for m in session.exec(statement)]
    table = Table("key", "name", "leaderboard organization")
    for row in sorted(rows):
        table.add_row(*row)
    console.print(table)
    console.print(f"{len(rows)} unclassified model(s)")


@models.command("reclassify")
def reclassify_models(
    actor: Annotated[
        str, typer.Option(help="Recorded as the author.", metavar="NAME")
    ] = "registry",
) -> None:
    """Place every derived model again with the current registry (API writes do this too)."""
    from api.db import transaction
    from api.services.registry import reclassify

    with transaction(get_settings()) as session:
        changed = reclassify(session, actor)
    console.print(f"{changed} model(s) placed anew")
