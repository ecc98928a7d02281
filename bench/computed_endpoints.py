"""/v1/models/lag/current and /v1/scorecard requests per second, side by side with a bare
endpoint returning a static body of the same size on the same server (wrk, 32 connections).

Each endpoint is measured twice: a plain GET (the answer is served from the per-data-version
cache) and a conditional GET with If-None-Match (a 304).

    python -m bench.computed_endpoints [--seconds 10] [--backend sqlite|postgresql]
"""

import argparse

import httpx

from bench.common import aigap, server, table, throwaway_database, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    rows = []
    with throwaway_database(args.backend) as url:
        aigap(url, "migrate")
        aigap(url, "seed")
        with server(url, app="bench.apps:app") as base:
            for path in ("/v1/models/lag/current", "/v1/scorecard"):
                response = httpx.get(base + path)
                size = len(response.content)
                bare = wrk(f"{base}/bench/static/{size}", seconds=args.seconds)
                real = wrk(base + path, seconds=args.seconds)
                cached = wrk(
                    base + path,
                    seconds=args.seconds,
                    headers={"If-None-Match": response.headers["etag"]},
                )
                rows.append(
                    [
                        path,
                        size,
                        f"{bare['rps']:,.0f}",
                        f"{real['rps']:,.0f}",
                        f"{real['rps'] / bare['rps']:.2f}",
                        f"{real['p99']:.1f}",
                        f"{cached['rps']:,.0f}",
                        int(real["errors"]),
                    ]
                )
    print(f"backend: {args.backend}; wrk -t2 -c32 -d{args.seconds}s; one uvicorn worker")
    print(
        table(
            [
                "endpoint",
                "bytes",
                "bare rps",
                "endpoint rps",
                "ratio",
                "p99 ms",
                "304 rps",
                "non-2xx",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
