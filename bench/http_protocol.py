"""What the HTTP limits cost: uvicorn's httptools protocol (no limits) without and with the
request intake and HEAD middlewares (api/web/intake.py, api/web/head.py), uvicorn's h11
protocol with them (the pure-Python parser `aigap serve` ran until its limits moved onto
httptools), and the protocol `aigap serve` runs (api/web/protocol.py: httptools with
bounded, timed request heads and problem+json refusals). All four servers run at once, one
worker each, and take turns under wrk (32 connections), so that load from elsewhere on the
machine falls on all of them; each figure is the median of the turns.

    python -m bench.http_protocol [--seconds 4] [--backend sqlite|postgresql]
"""

import argparse
import os
import statistics
import sys
from contextlib import ExitStack
from typing import Any

import httpx
import uvicorn

from api.main import create_app
from api.web.head import HeadAsGet
from api.web.intake import RequestIntake
from bench.common import aigap, free_port, process_serving, table, throwaway_database, wrk

PATHS = ("/v1/models/lag/current", "/v1/observations?limit=100")
ROUNDS = 3  # the setups take turns, so that load from elsewhere falls on all of them
LIMITED = "api.web.protocol:LimitedHttpToolsProtocol"
SETUPS = (  # (label, protocol, app)
    ("httptools, no limits, no intake", "httptools", "bench.http_protocol:app_without_limits"),
    ("httptools, no limits + intake", "httptools", "api.main:app"),
    ("h11, no limits + intake", "h11", "api.main:app"),
    ("httptools limited + intake (now)", LIMITED, "api.main:app"),
)


def app_without_limits() -> Any:
    """The app as it was: the same routes, without the intake and HEAD middlewares."""
    app = create_app()
    limits = {RequestIntake.__name__, HeadAsGet.__name__}
    app.user_middleware = [
        m for m in app.user_middleware if getattr(m.cls, "__name__", "") not in limits
    ]
    return app


def serve(protocol: str, app: str, port: int) -> None:
    factory = app.endswith("app_without_limits")
    uvicorn.run(
        app,
        port=port,
        http=protocol,
        factory=factory,
        log_level="warning",
        access_log=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    with throwaway_database(args.backend) as url, ExitStack() as servers:
        aigap(url, "migrate")
        aigap(url, "seed")
        env = {**os.environ, "AIGAP_DATABASE_URL": url, "AIGAP_LOG_LEVEL": "warning"}
        bases = {}
        for label, protocol, app in SETUPS:
            port = free_port()
            command = [sys.executable, "-m", "bench.http_protocol", "--serve", protocol, app]
            serving = process_serving([*command, str(port)], port, "/healthz", env=env)
            bases[label] = servers.enter_context(serving)
            for path in PATHS:
                httpx.get(bases[label] + path)  # warm the caches
        for _round in range(ROUNDS):
            for label, _protocol, _app in SETUPS:
                for path in PATHS:
                    run = wrk(bases[label] + path, seconds=args.seconds)
                    runs.setdefault((label, path), []).append(run)
    results = {key: _median(values) for key, values in runs.items()}
    rows = []
    baseline = SETUPS[0][0]
    for label, _protocol, _app in SETUPS:
        for path in PATHS:
            got, before = results[(label, path)], results[(baseline, path)]
            rows.append(
                [
                    label,
                    path,
                    f"{got['rps']:,.0f}",
                    f"{got['rps'] / before['rps']:.2f}",
                    f"{got['p50']:.1f}",
                    f"{got['p99']:.1f}",
                ]
            )
    print(
        f"backend: {args.backend}; wrk -t2 -c32 -d{args.seconds}s, median of {ROUNDS} turns; "
        "one uvicorn worker per server"
    )
    print(table(["server", "path", "rps", "vs before", "p50 ms", "p99 ms"], rows))


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
