"""The `aigap` command: serve, migrate, seed."""

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from alembic.config import Config
from rich.console import Console
from rich.table import Table

from alembic import command
from api import ALEMBIC_DIR, PROJECT_ROOT, SEEDS_DIR
from api.db import transaction
from api.observability import log_config
from api.services.seed import SeedError, load
from api.settings import get_settings

app = typer.Typer(help="aigap: the API of record for the US-China AI competition.")
console = Console(stderr=True)


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["database_url"] = database_url or get_settings().database_url
    return config


@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Upgrade the database schema (alembic upgrade)."""
    command.upgrade(alembic_config(), revision)


@app.command()
def downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Downgrade the database schema, e.g. `aigap downgrade base` to remove it."""
    command.downgrade(alembic_config(), revision)


@app.command()
def seed(
    directory: Annotated[Path, typer.Option("--dir", help="Seed directory.")] = SEEDS_DIR,
) -> None:
    """Load the report's figures; a second run writes nothing, a changed value a revision."""
    settings = get_settings()
    try:
        with transaction(settings) as session:
            report = load(session, directory)
    except SeedError as exc:
        console.print(f"[red]seed data has {len(exc.issues)} problem(s); nothing was written:")
        for issue in exc.issues:
            console.print(f"  {issue}")
        raise typer.Exit(1) from exc
    table = Table("table", "created", "revised", "retired", "unchanged")
    tables = sorted({*report.created, *report.revised, *report.retired, *report.unchanged})
    for name in tables:
        table.add_row(
            name,
            *(
                str(bucket.get(name, 0))
                for bucket in (report.created, report.revised, report.retired, report.unchanged)
            ),
        )
    console.print(table)
    console.print(f"{report.writes} write(s) to {settings.database_url}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes.")] = False,
) -> None:
    """Serve the API with uvicorn; SIGTERM drains in-flight requests, then stops."""
    settings = get_settings()
    processes = workers or settings.workers
    if processes > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers share metrics through files; /metrics aggregates them.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="aigap-metrics-")
    uvicorn.run(
        "api.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=processes,
        reload=reload,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
        timeout_graceful_shutdown=settings.shutdown_timeout,
        proxy_headers=True,
    )


if __name__ == "__main__":
    app()
