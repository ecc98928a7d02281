"""The `aigap` command: serve, migrate, seed.

Each command imports the services it runs when it runs: the supervisor of a multi-worker
`serve` (which only starts workers) and `migrate` skip the tables, services and alembic's
imports they never use (0.6 s of CPU to 0.2 s at the start of every command).
"""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from api import ALEMBIC_DIR, PROJECT_ROOT, SEEDS_DIR
from api.cli_models import models as models_cli
from api.cli_models import snapshot_date
from api.scopes import Scope
from api.settings import get_settings

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlmodel import Session

    from api.services.imports import ImportReport

app = typer.Typer(
    help="aigap: the API of record for the US-China AI competition.",
    add_completion=False,
    rich_markup_mode=None,  # plain help: names and metavars, no `<str>` type placeholders
)
console = Console(stderr=True)


def alembic_config(database_url: str | None = None) -> "Config":
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["database_url"] = database_url or get_settings().database_url
    return config


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.", metavar="REVISION")] = "head",
) -> None:
    """Upgrade the database schema (alembic upgrade)."""
    from alembic import command

    _migrating(command.upgrade, revision)


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.", metavar="REVISION")],
) -> None:
    """Downgrade the database schema, e.g. `aigap downgrade base` to remove it."""
    from alembic import command

    _migrating(command.downgrade, revision)


def _migrating(step: Callable[["Config", str], None], revision: str) -> None:
    """Run an alembic step; a revision it cannot find is an error message, not a traceback."""
    from alembic.util import CommandError

    try:
        step(alembic_config(), revision)
    except CommandError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(1) from exc


@app.command()
def seed(
    directory: Annotated[
        Path, typer.Option("--dir", help="Seed directory.", metavar="DIR")
    ] = SEEDS_DIR,
) -> None:
    """Load the report's figures; a second run writes nothing, a changed value a revision."""
    from rich.table import Table

    from api.db import transaction
    from api.services.seed import SeedError, load

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


keys = typer.Typer(help="API keys: made once, shown once, stored hashed.", rich_markup_mode=None)
imports = typer.Typer(help="Bulk imports from CSV and leaderboard files.", rich_markup_mode=None)
app.add_typer(keys, name="keys")
app.add_typer(imports, name="import")
app.add_typer(models_cli, name="models")


@keys.command("create")
def keys_create(
    name: Annotated[
        str, typer.Option("--name", help="Who the key is for, e.g. curator-alice.", metavar="NAME")
    ],
    scope: Annotated[
        Scope, typer.Option("--scope", help="read, write or admin.", metavar="SCOPE")
    ] = Scope.write,
) -> None:
    """Create a key and print it once; only its hash is stored."""
    from api.db import transaction
    from api.errors import AppError
    from api.services.auth import create_key

    try:
        with transaction(get_settings()) as session:
            record, key = create_key(session, name=name, scope=scope)
            console.print(f"created key {record.name!r} ({record.scope}); store it now:")
    except AppError as exc:
        console.print(f"[red]{exc.detail}")
        raise typer.Exit(1) from exc
    typer.echo(key)


@keys.command("list")
def keys_list() -> None:
    """Every key's name, scope and status (never the key)."""
    from rich.table import Table

    from api.db import transaction
    from api.services.auth import list_keys

    with transaction(get_settings()) as session:
        table = Table("name", "scope", "prefix", "created", "revoked")
        for record in list_keys(session):
            table.add_row(
                record.name,
                record.scope,
                record.prefix + "…",
                record.created_at.isoformat(timespec="seconds"),
                record.revoked_at.isoformat(timespec="seconds") if record.revoked_at else "",
            )
    Console().print(table)


@keys.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="The key's name.", metavar="NAME")],
) -> None:
    """Revoke a key: it stops working at once; the record stays."""
    from api.db import transaction
    from api.errors import AppError
    from api.services.auth import revoke_key

    try:
        with transaction(get_settings()) as session:
            revoke_key(session, name)
    except AppError as exc:
        console.print(f"[red]{exc.detail}")
        raise typer.Exit(1) from exc
    console.print(f"revoked {name!r}")


def _run_import(
    path: Path,
    run: "Callable[[Session, bytes, Callable[[int], None]], ImportReport]",
    actor: str,
    *,
    rows_are_lines: bool = True,
) -> None:
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn

    from api.cli_models import print_leaderboard_report
    from api.db import transaction
    from api.errors import InvalidData
    from api.services.lmarena import LmarenaReport
    from api.services.writes import lock_writes

    body = path.read_bytes()
    total = max(body.count(b"\n") - 1, 1) if rows_are_lines else None
    with Progress(
        SpinnerColumn(),
        *Progress.get_default_columns(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(f"importing {path.name}", total=total)
        try:
            with transaction(get_settings()) as session:
                lock_writes(session)
                report = run(session, body, lambda done: bar.update(task, completed=done))
        except InvalidData as exc:
            bar.stop()
            console.print(f"[red]{exc.detail}")
            for error in exc.extensions.get("errors", [])[:50]:
                console.print(f"  {error['field']}: {error['reason']}")
            raise typer.Exit(1) from exc
    console.print(
        f"{report.rows} rows: {report.created} created, {report.revised} revised, "
        f"{report.unchanged} unchanged"
        + (f"; new models: {', '.join(report.models_created)}" if report.models_created else "")
        + f" (written as {actor!r})"
    )
    if isinstance(report, LmarenaReport):
        print_leaderboard_report(console, report)


Actor = Annotated[
    str, typer.Option(help="Recorded as the author of every revision.", metavar="NAME")
]
CsvFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE")
]


@imports.command("arena")
def import_arena_cli(
    file: CsvFile,
    actor: Actor = "cli",
    source: Annotated[
        str, typer.Option(help="Default source key.", metavar="KEY")
    ] = "lmsys-chatbot-arena",
) -> None:
    """Monthly Arena scores: month,model,organization,country,score[,ci_lower,...]."""
    from api.services.imports import import_arena

    _run_import(
        file,
        lambda session, body, progress: import_arena(
            session, body, actor=actor, default_source=source, progress=progress
        ),
        actor,
    )


@imports.command("lmarena")
def import_lmarena_cli(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            metavar="FILE",
            help="The leaderboard JSON (leaderboard-text.json) or the leaderboard CSV (.csv).",
        ),
    ],
    month: Annotated[str, typer.Option(help="The month the scores are for.", metavar="YYYY-MM")],
    category: Annotated[
        str,
        typer.Option(help="Leaderboard category; full (overall) feeds the lag.", metavar="NAME"),
    ] = "full",
    strict: Annotated[
        bool, typer.Option(help="Write nothing if any model cannot be placed.", metavar="")
    ] = False,
    snapshot: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="The snapshot's date; by default read from a file name like "
            "leaderboard-text-2025-04-24.json, else the file's SHA-256 names it.",
        ),
    ] = None,
    actor: Actor = "cli",
) -> None:
    """A published LMArena leaderboard (its JSON, or the leaderboard CSV) as MONTH's scores."""
    from api.services.lmarena import LeaderboardFormat, import_lmarena

    leaderboard_format = (
        LeaderboardFormat.csv if file.suffix.lower() == ".csv" else LeaderboardFormat.json
    )
    taken = snapshot_date(file.name, snapshot)
    _run_import(
        file,
        lambda session, body, progress: import_lmarena(
            session,
            body,
            leaderboard_format=leaderboard_format,
            month=month,
            category=category,
            snapshot=taken,
            strict=strict,
            actor=actor,
            progress=progress,
        ),
        actor,
        rows_are_lines=leaderboard_format is LeaderboardFormat.csv,
    )


@imports.command("observations")
def import_observations_cli(file: CsvFile, actor: Actor = "cli") -> None:
    """Observations: indicator_key,country,period,value,source_location[,...]."""
    from api.services.imports import import_observations

    _run_import(
        file,
        lambda session, body, progress: import_observations(
            session, body, actor=actor, progress=progress
        ),
        actor,
    )


@imports.command("funding")
def import_funding_cli(file: CsvFile, actor: Actor = "cli") -> None:
    """Funding records: program,country,level,measure,amount,currency,status,source_location.

    Also the other funding fields; measure says what the amount is (see the README).
    """
    from api.services.imports import import_funding

    _run_import(
        file,
        lambda session, body, progress: import_funding(
            session, body, actor=actor, progress=progress
        ),
        actor,
    )


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Bind address.", metavar="HOST")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port.", metavar="PORT")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.", metavar="N")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes.", metavar="")] = False,
) -> None:
    """Serve the API with uvicorn; SIGTERM drains in-flight requests, then stops."""
    settings = get_settings()
    processes = workers or settings.workers
    if processes > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers share metrics through files; /metrics aggregates them. Set before
        # prometheus_client is imported: it picks its kind of counter once, at import.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="aigap-metrics-")

    import uvicorn

    from api.observability import log_config

    if processes > 1 and not reload:
        _fork_workers()
    uvicorn.run(
        "api.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=processes,
        reload=reload,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
        timeout_graceful_shutdown=settings.shutdown_timeout,
        timeout_keep_alive=settings.keep_alive_timeout,
        # uvicorn replaces a worker that has not answered its supervisor within 5 s; a
        # worker importing the app on a busy two-core machine can take longer than that,
        # and killing it only starts the same slow import again.
        timeout_worker_healthcheck=settings.worker_start_timeout,
        proxy_headers=True,
        # httptools with a bounded, timed request head, refused as problem+json
        # (api/web/protocol.py)
        http="api.web.protocol:LimitedHttpToolsProtocol",
        # asyncio's own loop, not uvloop: with SQLite pages read on the loop (api/web/
        # read_path.py), uvloop left 1-2 % of requests waiting 0.3-1 s at 32 connections
        # (p99 250-500 ms, asyncio 81 ms) and answered cached pages no faster
        # (docs/benchmarks.md, issue 17).
        loop="asyncio",
    )


def _fork_workers() -> None:
    """Start each worker as a fork of this supervisor with the app already imported, not as
    a new interpreter importing it again (uvicorn spawns them): a worker's start drops from
    the app's whole import to a fork, and the workers share the imported code and objects
    until they change them (frozen first, so the collector leaves their pages alone). The
    import opens no connection, file or thread for the children to share."""
    import gc
    import multiprocessing

    import uvicorn._subprocess

    import api.main  # noqa: F401

    gc.freeze()
    uvicorn._subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]


if __name__ == "__main__":
    app()
